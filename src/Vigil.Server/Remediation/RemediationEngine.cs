using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Remediation;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;
using Vigil.Server.Runbooks;

namespace Vigil.Server.Remediation;

/// <summary>
/// Automatic remediation: when an incident opens (or reopens) and a check, a <c>remediate</c> label or its
/// severity names a remediation, runs that runbook procedure unattended, within the guard rails of
/// <see cref="RemediationRules"/> (Core, pure). Every decision — run or not, and why — and every end goes on
/// the incident's timeline with an audit entry; the run itself is an ordinary run linked to the incident. A
/// refused or failed remediation brings the incident's next escalation step forward to now.
/// <para>
/// A thin loop: it wakes on commits that raised <see cref="CommitTopics.Openings"/> (at most twice a second under a
/// storm), reads every opening not yet decided, a page at a time (one decision per incident and reopen count, stored:
/// migration 12), and waits for escalation to
/// have planned an opening first (briefly), so bringing its steps forward has something to move. Remediations
/// left <c>running</c> by a restart are finished from their run's stored end.
/// </para>
/// </summary>
internal sealed partial class RemediationEngine(IVigilStore store, RunbookRuntime runtime, ConfigState config, TimeProvider time, HealthBoard health,
    ILogger<RemediationEngine> logger) : SweepLoop(time, health)
{
    public const string Actor = "system:remediation";

    /// <summary>How long an opening waits for escalation to plan it before it is decided anyway.</summary>
    internal static readonly TimeSpan EscalationWait = TimeSpan.FromSeconds(30);

    /// <summary>Openings found this long before the engine started are still decided (Vigil was briefly down).</summary>
    internal static readonly TimeSpan Lookback = TimeSpan.FromMinutes(15);

    /// <summary>Undecided openings read at a time.</summary>
    internal const int Page = 500;

    private readonly HashSet<(long Id, int Generation)> _none = [];

    // When this loop first saw each reopening: a reopen keeps the incident's first opened_at, so the wait for
    // escalation to plan it is timed from here.
    private readonly Dictionary<(long Id, int Generation), DateTimeOffset> _reopenSeen = [];
    private readonly ConcurrentDictionary<long, Task> _followUps = new();
    private readonly SemaphoreSlim _finishing = new(1, 1);
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _retryAt;

    public override string HealthName => "remediation";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    protected override TimeSpan MaxSleep => TimeSpan.FromSeconds(30);

    protected override int FullBatch => int.MaxValue;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => Task.FromResult(_retryAt);

    /// <summary>Only openings and reopenings are decided on; other incident commits (signals of an alert storm) do not wake it.</summary>
    protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(CommitTopics.Openings, ct);

    /// <summary>
    /// A storm of openings wakes it at most once per this (each wake reads every undecided opening); a lone opening after a
    /// quiet spell is still looked at as soon as it commits.
    /// </summary>
    protected override TimeSpan WakeSpacing => TimeSpan.FromMilliseconds(500);

    /// <summary>Completes when every remediation run started so far has ended and its end was recorded.</summary>
    internal Task FollowUpsAsync() => Task.WhenAll(_followUps.Values);

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        _startedAt ??= now;
        _retryAt = null;
        var work = 0;
        foreach (var running in await store.ReadAsync((s, c) => s.Remediations.ListRunningAsync(c), ct))
        {
            if (running.RunId is not { } runId || !_followUps.ContainsKey(running.Id))
            {
                // A restart (or a crash between recording the decision and starting the run) left it running.
                var run = running.RunId is { } id ? await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct) : null;
                if (run is null || run.IsFinished)
                {
                    work += await FinishAsync(running, run, ct);
                }
            }
        }

        var cfg = config.Current.Config;
        // Every undecided opening, a page at a time, oldest first: one that waited behind a page of newer openings with
        // nothing to remediate (remembered in memory, never stored) would otherwise never be decided.
        for (var after = 0L; ;)
        {
            var page = await store.ReadAsync((s, c) => s.Remediations.ListUndecidedIncidentsAsync(_startedAt.Value - Lookback, after, Page, c), ct);
            foreach (var opening in page)
            {
                work += await DecideAsync(opening, cfg, now, ct);
            }

            if (page.Count < Page)
            {
                return work;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Decides an opening now, or schedules a retry while escalation has yet to plan it; returns the work done.</summary>
    private async Task<int> DecideAsync(UndecidedIncident opening, VigilConfig cfg, DateTimeOffset now, CancellationToken ct)
    {
        if (_none.Contains((opening.Id, opening.Generation)))
        {
            return 0;
        }

        var since = opening.Generation == 0 ? opening.OpenedAt : SeenAt(opening, now);
        if (!opening.EscalationEvaluated && now - since < EscalationWait)
        {
            // Escalation plans this opening in a moment; decide then, so a refusal can bring its steps forward.
            var retry = now + TimeSpan.FromMilliseconds(200);
            _retryAt = _retryAt is { } r && r < retry ? r : retry;
            return 0;
        }

        _reopenSeen.Remove((opening.Id, opening.Generation));
        return await ConsiderAsync(opening, cfg, ct);
    }

    private DateTimeOffset SeenAt(UndecidedIncident opening, DateTimeOffset now)
    {
        _reopenSeen.TryAdd((opening.Id, opening.Generation), now);
        return _reopenSeen[(opening.Id, opening.Generation)];
    }

    /// <summary>Decides one opening: nothing configured (remembered, not stored), refused (stored, escalates), or run.</summary>
    private async Task<int> ConsiderAsync(UndecidedIncident opening, VigilConfig cfg, CancellationToken ct)
    {
        var (incident, signals) = await store.ReadAsync(async (s, c) =>
        {
            var found = await s.Incidents.GetAsync(opening.Id, c);
            return (found, found is null ? [] : await s.Incidents.ListSignalsAsync(opening.Id, c));
        }, ct);
        if (incident is null || RemediationRules.Resolve(cfg, incident, signals) is not { } choice)
        {
            if (_none.Count > 100_000)
            {
                _none.Clear(); // at worst some openings are looked at once more
            }

            _none.Add((opening.Id, opening.Generation));
            return 0;
        }

        var remediation = choice.Remediation;
        var entry = remediation is null ? null : runtime.Catalog().Find(remediation.Runbook);
        RunbookPlan? plan = null;
        RemediationDecision decision;
        if (remediation is null)
        {
            decision = new(false, choice.Problem ?? "no remediation applies");
        }
        else if (entry is null)
        {
            decision = new(false, $"Remediation {remediation.Runbook} ({choice.Origin}) cannot run: runbook {remediation.Runbook} is not in the catalog (runbooks.paths)");
        }
        else
        {
            plan = RunbookPlanner.Plan(entry.Runbook, remediation.Procedure, remediation.Params, runtime.PlanOptions());
            var now = Time.GetUtcNow();
            var (freezes, starts) = await store.ReadAsync(async (s, c) =>
                (await s.Operations.ListActiveFreezesAsync(c), await s.Remediations.ListStartsAsync(choice.Key, RemediationRules.CountsSince(remediation, now), c)), ct);
            var env = cfg.Vigil.Environment;
            decision = RemediationRules.Decide(new RemediationFacts(choice, incident, entry.Service, freezes, plan,
                cfg.Runbooks.RequireApprovalIn.Contains(env, StringComparer.Ordinal) ? env : null, starts), now);
        }

        var draft = new RemediationRecord(0, incident.Id, incident.Reopened, choice.Key, choice.Origin, remediation?.Runbook ?? "-",
            plan?.Procedure?.Slug ?? remediation?.Procedure, decision.Run ? RemediationOutcome.Running : RemediationOutcome.Refused, null, decision.Reason,
            Time.GetUtcNow(), decision.Run ? null : Time.GetUtcNow());
        if (!decision.Run)
        {
            LogRefused(logger, incident.Id, decision.Reason);
            await store.WriteAsync(async (s, c) =>
            {
                var record = await s.Remediations.AddAsync(draft with { DecidedAt = s.Now, EndedAt = s.Now }, c);
                await EscalateAsync(s, incident, record, decision.Reason, "remediation.refuse", c);
                return 0;
            }, ct);
            return 1;
        }

        // The decision is stored before the run starts, so no later sweep (or node) can start it twice.
        var started = await store.WriteAsync(async (s, c) =>
        {
            var record = await s.Remediations.AddAsync(draft with { DecidedAt = s.Now }, c);
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Remediation, Actor, decision.Reason, "remediation.start", s.Now, null, Json(record), c);
            return record;
        }, ct);
        var request = new RunRequest(entry!.Id, entry.Path, plan!.Procedure!.Slug, entry.Service, cfg.Vigil.Environment, plan.Shown, "remediation",
            AutoConfirm: true, [], StepByStep: false, FreezeOverride: null, IncidentId: incident.Id, DrillRto: null);
        var created = await runtime.CreateAsync(new RunStart(entry, plan, request, Actor), ct);
        if (created.Value is not { } run)
        {
            await FinishAsync(started, null, ct, "could not start: " + created.Refusal!.Message);
            return 1;
        }

        var linked = started with { RunId = run.Id };
        await store.RecordAsync(async (s, c) =>
        {
            await s.Remediations.UpdateAsync(linked, c);
            return 0;
        }, ct);
        _followUps[linked.Id] = Task.Run(async () =>
        {
            try
            {
                var ended = await runtime.WaitForEndAsync(run.Id, CancellationToken.None);
                await FinishAsync(linked, ended, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next sweep finishes it from the stored run.
                LogFollowUpFailed(logger, linked.Id, ex);
                _followUps.TryRemove(linked.Id, out _);
            }
        }, CancellationToken.None);
        return 1;
    }

    /// <summary>Records how a remediation's run ended; a run that did not succeed escalates at once.</summary>
    private async Task<int> FinishAsync(RemediationRecord record, RunbookRun? run, CancellationToken ct, string? startProblem = null)
    {
        await _finishing.WaitAsync(ct);
        try
        {
            var current = (await store.ReadAsync((s, c) => s.Remediations.ListForIncidentAsync(record.IncidentId, c), ct)).FirstOrDefault(r => r.Id == record.Id);
            if (current is not { Outcome: RemediationOutcome.Running })
            {
                return 0;
            }

            var succeeded = run?.Status == RunStatus.Succeeded;
            var what = $"Remediation {record.Runbook}{(record.Procedure is null ? "" : " › " + record.Procedure)} ({record.Origin})";
            var text = startProblem is not null ? $"{what} {startProblem}"
                : run is null ? $"{what} never started: Vigil stopped before its run was created"
                : succeeded ? $"{what}: run #{run.Id} succeeded; the incident resolves when its checks and signals do"
                : $"{what}: run #{run.Id} {RunNames.Of(run.Status)}: {run.Error}";
            var ended = current with
            {
                Outcome = succeeded ? RemediationOutcome.Succeeded : RemediationOutcome.Failed,
                RunId = run?.Id ?? current.RunId,
                Reason = current.Reason + " — " + text,
            };
            await store.WriteAsync(async (s, c) =>
            {
                ended = ended with { EndedAt = s.Now };
                await s.Remediations.UpdateAsync(ended, c);
                var incident = await s.Incidents.GetAsync(record.IncidentId, c);
                if (incident is null)
                {
                    await s.Audit.AppendAsync(new Core.Audit.AuditDraft(Actor, "remediation.end", IncidentWriter.Target(record.IncidentId), text, null, Json(ended)), c);
                }
                else if (succeeded)
                {
                    await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Remediation, Actor, text, "remediation.end", s.Now, Json(current), Json(ended), c);
                }
                else
                {
                    await EscalateAsync(s, incident, ended, text, "remediation.end", c);
                }

                return 0;
            }, ct);
            return 1;
        }
        finally
        {
            _finishing.Release();
            _followUps.TryRemove(record.Id, out _);
        }
    }

    /// <summary>Writes a refusal or failure on the timeline and brings the next escalation step forward to now.</summary>
    private static async Task EscalateAsync(IStoreSession s, Incident incident, RemediationRecord record, string text, string action, CancellationToken ct)
    {
        var current = await s.Incidents.GetAsync(incident.Id, ct) ?? incident;
        var moved = current.Status == IncidentStatus.Triggered ? await s.Remediations.EscalateNowAsync(incident.Id, s.Now, ct) : 0;
        text += moved > 0
            ? "; escalating now: the next escalation step is due at once instead of after its delay"
            : current.Status == IncidentStatus.Triggered
                ? "; no escalation step was pending to bring forward (paging held, not a paging severity, or already paged)"
                : $"; the incident is {current.Status.ToName()}, so nothing is escalated";
        await IncidentWriter.RecordAsync(s, current, TimelineKinds.Remediation, Actor, text, action, s.Now, null, Json(record), ct);
        if (moved > 0)
        {
            s.Raise(CommitTopics.Notifications);
        }
    }

    private static string Json(RemediationRecord r) => JsonSerializer.Serialize(new
    {
        id = r.Id,
        incident = r.IncidentId,
        key = r.Key,
        origin = r.Origin,
        runbook = r.Runbook,
        procedure = r.Procedure,
        outcome = r.Outcome.ToString().ToLowerInvariant(),
        run = r.RunId,
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "Remediation for incident #{Incident} not run: {Reason}")]
    private static partial void LogRefused(ILogger logger, long incident, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following remediation #{Remediation} failed; the next sweep records its end")]
    private static partial void LogFollowUpFailed(ILogger logger, long remediation, Exception ex);
}
