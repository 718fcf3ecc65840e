using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Incidents;

namespace Vigil.Core.Operations;

/// <summary>One reason a deploy may not proceed. <see cref="Code"/> is stable for scripts.</summary>
public sealed record GateReason(string Code, string Message);

/// <summary>What the gate rules look at: the service, the config, and the state in force now.</summary>
public sealed record GateContext(
    string Service,
    VigilConfig Config,
    IncidentPolicy Policy,
    IReadOnlyList<Freeze> Freezes,
    IReadOnlyList<Incident> OpenIncidents,
    IReadOnlyList<ActiveWindow> Windows,
    DateTimeOffset Now)
{
    /// <summary>The SLOs as last evaluated (every service's); the gate reads the deployed service's.</summary>
    public IReadOnlyList<Slos.SloStatus> Slos { get; init; } = [];
}

/// <summary>A rule of the deploy gate. Rules are independent; the gate reports every reason of every rule.</summary>
public interface IGateRule
{
    IEnumerable<GateReason> Evaluate(GateContext context);
}

/// <summary>The deploy gate: a deploy may proceed when no rule gives a reason.</summary>
public static class DeployGate
{
    /// <summary>The built-in rules: freezes, open incidents, blocking maintenance windows, exhausted error budgets.</summary>
    public static IReadOnlyList<IGateRule> DefaultRules { get; } = [new FreezeRule(), new OpenIncidentRule(), new BlockingWindowRule(), new ErrorBudgetRule()];

    public static IReadOnlyList<GateReason> Evaluate(IEnumerable<IGateRule> rules, GateContext context)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(context);
        return rules.SelectMany(r => r.Evaluate(context)).ToList();
    }

    private sealed class FreezeRule : IGateRule
    {
        public IEnumerable<GateReason> Evaluate(GateContext context) =>
            context.Freezes.Where(f => f.Covers(context.Service)).Select(f => new GateReason("frozen",
                $"{(f.Service is null ? "Everything is frozen" : $"Service {f.Service} is frozen")} since {Time(f.CreatedAt)} by {f.CreatedBy}: {f.Reason}"));
    }

    private sealed class OpenIncidentRule : IGateRule
    {
        public IEnumerable<GateReason> Evaluate(GateContext context)
        {
            var services = new HashSet<string>(StringComparer.Ordinal) { context.Service };
            if (context.Config.Gate.IncludeDependencies)
            {
                services.UnionWith(context.Policy.DependenciesOf(context.Service));
            }

            var threshold = context.Config.Gate.IncidentSeverity is { } id ? context.Policy.Level(id) : null;
            foreach (var incident in context.OpenIncidents.Where(i => i.IsOpen && i.Service is not null && services.Contains(i.Service)).OrderBy(i => i.Id))
            {
                var level = context.Policy.Level(incident.Severity);
                var blocks = threshold is null ? level.Page : level.Rank <= threshold.Rank;
                if (blocks)
                {
                    var where = incident.Service == context.Service ? "" : $" on dependency {incident.Service}";
                    yield return new GateReason("open_incident", string.Create(CultureInfo.InvariantCulture,
                        $"Incident #{incident.Id} ({incident.Severity}, {incident.Status.ToName()}){where} is open: {incident.Title}"));
                }
            }
        }
    }

    private sealed class BlockingWindowRule : IGateRule
    {
        public IEnumerable<GateReason> Evaluate(GateContext context) =>
            context.Windows.Where(w => w.BlocksDeploys && w.Covers(context.Service)).Select(w => new GateReason("maintenance_window",
                $"Maintenance window {w.Id} blocks deploys until {Time(w.EndsAt)}: {w.Reason}"));
    }

    private sealed class ErrorBudgetRule : IGateRule
    {
        public IEnumerable<GateReason> Evaluate(GateContext context) =>
            context.Slos.Where(s => s.Slo.Service == context.Service && s.Budget is { Exhausted: true }).Select(s => new GateReason("slo_budget_exhausted",
                string.Create(CultureInfo.InvariantCulture,
                    $"SLO {s.Slo.Id} ({s.Slo.ObjectiveText} over {s.Slo.Window}) has no error budget left: {s.Budget!.Consumed * 100:0.##}% used, attainment {s.Budget.Attainment * 100:0.###}%")));
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
