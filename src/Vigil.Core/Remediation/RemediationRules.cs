using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Remediation;

/// <summary>
/// Which remediation applies to an incident, and where it comes from.
/// </summary>
/// <param name="Remediation">The remediation, or null when <see cref="Problem"/> says why none can run (a label naming nothing).</param>
/// <param name="Origin">For people: <c>check api/health</c>, <c>label remediate=restart-api</c>, <c>severity P1</c>.</param>
/// <param name="Key">What cooldown and <c>max_runs</c> count against: the check, or the label remediation / severity on one service.</param>
/// <param name="Problem">Why the choice cannot run, before any guard rail.</param>
public sealed record RemediationChoice(RemediationConfig? Remediation, string Origin, string Key, string? Problem = null);

/// <summary>Everything the guard rails look at for one incident (read by the engine, decided here).</summary>
/// <param name="RunbookService">The runbook's service (front matter), whose freezes govern it like any run.</param>
/// <param name="ApprovalEnvironment">The environment when <c>runbooks.require_approval_in</c> lists it, else null.</param>
/// <param name="PreviousStarts">When this key's earlier remediations started, any incident (at least those inside the window and the cooldown).</param>
public sealed record RemediationFacts(
    RemediationChoice Choice,
    Incident Incident,
    string? RunbookService,
    IReadOnlyList<Freeze> Freezes,
    RunbookPlan Plan,
    string? ApprovalEnvironment,
    IReadOnlyList<DateTimeOffset> PreviousStarts);

/// <summary>Run or not, and why, in a sentence for the incident's timeline.</summary>
public sealed record RemediationDecision(bool Run, string Reason);

/// <summary>
/// Automatic remediation's decisions (pure): which remediation an incident gets, and whether it may run now
/// under the guard rails. Functions of (state, event, now); the remediation engine reads the inputs and writes
/// what these return.
/// </summary>
public static class RemediationRules
{
    /// <summary>The label a signal (Alertmanager, events API) sets to pick one of <c>runbooks.remediations</c>.</summary>
    public const string Label = "remediate";

    /// <summary>
    /// The remediation for an incident, or null when none is configured. A check's own <c>remediate:</c> comes
    /// first (its check signal attached to the incident), then a <c>remediate</c> label on the incident or one of
    /// its signals (naming an entry of <c>runbooks.remediations</c>), then the severity's <c>remediate:</c>.
    /// </summary>
    public static RemediationChoice? Resolve(VigilConfig config, Incident incident, IReadOnlyList<IncidentSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(signals);
        foreach (var signal in signals.Where(s => s.Source == SignalSource.Check))
        {
            var slash = signal.DedupKey.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && config.FindService(signal.DedupKey[..slash]) is { } service
                && service.Checks.FirstOrDefault(c => c.Id == signal.DedupKey[(slash + 1)..]) is { Remediate: { } byCheck })
            {
                return new RemediationChoice(byCheck, "check " + signal.DedupKey, "check:" + signal.DedupKey);
            }
        }

        var scope = "@" + (incident.Service ?? "-");
        var label = incident.Labels.TryGetValue(Label, out var own) ? own
            : signals.Select(s => s.Labels.TryGetValue(Label, out var v) ? v : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (!string.IsNullOrEmpty(label))
        {
            var named = config.Runbooks.Remediations.FirstOrDefault(r => r.Id == label);
            return named is null
                ? new RemediationChoice(null, $"label {Label}={label}", "label:" + label + scope,
                    $"the signal's label {Label}={label} names no entry of runbooks.remediations (ids: {Ids(config)}); nothing ran")
                : new RemediationChoice(named, $"label {Label}={label}", "label:" + label + scope);
        }

        return config.FindSeverity(incident.Severity) is { Remediate: { } bySeverity }
            ? new RemediationChoice(bySeverity, "severity " + incident.Severity, "severity:" + incident.Severity + scope)
            : null;
    }

    /// <summary>
    /// Whether the remediation may run now. In order: the incident must still be open; the plan must be
    /// runnable; no freeze may cover the runbook's or the incident's service (<see cref="Freeze.FirstCovering"/>,
    /// the one freeze rule); no step may need approval in this environment or a confirmation; the cooldown must
    /// have passed since the last run; fewer than <c>max_runs</c> runs may have started inside the window.
    /// </summary>
    public static RemediationDecision Decide(RemediationFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var choice = facts.Choice;
        if (choice.Remediation is not { } remediation)
        {
            return new(false, choice.Problem ?? "no remediation is configured");
        }

        var what = Describe(facts);
        if (!facts.Incident.IsOpen)
        {
            return new(false, $"{what} not run: the incident is {facts.Incident.Status.ToName()} already");
        }

        if (!facts.Plan.IsRunnable)
        {
            return new(false, $"{what} cannot run: {string.Join("; ", facts.Plan.Problems.Select(p => p.Message))}");
        }

        if ((Freeze.FirstCovering(facts.Freezes, facts.RunbookService) ?? Freeze.FirstCovering(facts.Freezes, facts.Incident.Service)) is { } freeze)
        {
            return new(false, $"{what} not run: {RunFreezes.Describe(freeze)}; remediation never runs during a freeze");
        }

        var mutating = facts.Plan.AllSteps.Where(s => s.Mutating).ToList();
        if (facts.ApprovalEnvironment is { } env && mutating.Count > 0)
        {
            return new(false, $"{what} not run: steps {Steps(mutating)} change something, and runs need approval in {env} (runbooks.require_approval_in); "
                + "remediation never waits for a person");
        }

        var confirm = facts.Plan.AllSteps.Where(s => s.Confirm).ToList();
        if (confirm.Count > 0)
        {
            return new(false, $"{what} not run: steps {Steps(confirm)} are marked confirm=true, and remediation runs unattended");
        }

        if (facts.PreviousStarts.Count > 0 && facts.PreviousStarts.Max() is var last && last + remediation.Cooldown > now)
        {
            return new(false, $"{what} not run: cooling down until {Utc(last + remediation.Cooldown)} (last run at {Utc(last)}, cooldown {Duration.Format(remediation.Cooldown)})");
        }

        var limit = remediation.MaxRuns;
        var inWindow = facts.PreviousStarts.Count(t => t > now - limit.Window && t <= now);
        if (inWindow >= limit.Count)
        {
            return new(false, $"{what} not run: it already ran {inWindow} time(s) in the last {Duration.Format(limit.Window)} (max_runs: {limit}); "
                + "a remediation that keeps being needed is not working, so people take over");
        }

        return new(true, $"{what}: run {inWindow + 1} of at most {limit}");
    }

    /// <summary>"Remediation restart-service › restart (check api/health)".</summary>
    public static string Describe(RemediationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var procedure = facts.Plan.Procedure?.Slug ?? facts.Choice.Remediation?.Procedure;
        return $"Remediation {facts.Choice.Remediation?.Runbook}{(procedure is null ? "" : " › " + procedure)} ({facts.Choice.Origin})";
    }

    /// <summary>The earliest start that still counts for cooldown or <c>max_runs</c>: starts before it can be forgotten.</summary>
    public static DateTimeOffset CountsSince(RemediationConfig remediation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remediation);
        return now - (remediation.MaxRuns.Window > remediation.Cooldown ? remediation.MaxRuns.Window : remediation.Cooldown);
    }

    private static string Ids(VigilConfig config) =>
        config.Runbooks.Remediations.Count == 0 ? "none" : string.Join(", ", config.Runbooks.Remediations.Select(r => r.Id));

    private static string Steps(IEnumerable<PlannedStep> steps) =>
        string.Join(", ", steps.Select(s => s.Name is null ? s.Index.ToString(CultureInfo.InvariantCulture) : $"{s.Index} ({s.Name})"));

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
