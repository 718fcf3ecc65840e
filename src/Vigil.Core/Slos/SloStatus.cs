namespace Vigil.Core.Slos;

/// <summary>An SLO evaluated at one instant: budget, burn rates, alerts, and the state they sum up to.</summary>
/// <param name="State"><c>ok</c>, <c>ticket</c> or <c>page</c> (an alert fires), <c>exhausted</c> (no budget left, no alert firing), <c>no_data</c> (no events in the window) or <c>unknown</c> (the SLI could not be read, see <paramref name="Reason"/>).</param>
/// <param name="Reason">Why the state is <c>unknown</c> (a Prometheus query failed), else null.</param>
/// <param name="BurnRates">Burn rate over 1h, 6h, 1d and 3d (each at most the SLO's window), by window name.</param>
public sealed record SloStatus(
    SloDefinition Slo,
    DateTimeOffset At,
    ErrorBudget? Budget,
    IReadOnlyList<BurnMeasure> Measures,
    IReadOnlyList<(string Window, double Rate)> BurnRates,
    string State,
    string? Reason = null)
{
    /// <summary>The status of an SLO whose SLI could not be read this turn: no budget, no burn rates, and why.</summary>
    public static SloStatus Unknown(SloDefinition slo, DateTimeOffset at, string reason) => new(slo, at, null, [], [], "unknown", reason);
}

/// <summary>Evaluates an SLO into a <see cref="SloStatus"/>; pure.</summary>
public static class SloEvaluation
{
    /// <summary>The burn-rate windows <c>vigil slo list</c> shows.</summary>
    public static IReadOnlyList<(string Name, TimeSpan Span)> ReportWindows { get; } =
        [("1h", TimeSpan.FromHours(1)), ("6h", TimeSpan.FromHours(6)), ("1d", TimeSpan.FromDays(1)), ("3d", TimeSpan.FromDays(3))];

    public static SloStatus Evaluate(SloDefinition slo, ISliEvents series, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(series);
        var budget = SloMath.Budget(slo, series, now);
        var measures = BurnAlerts.Measure(slo, series, now);
        var rates = ReportWindows.Select(w => (w.Name, SloMath.BurnRate(slo, series, w.Span < slo.Window.MaxLength ? w.Span : slo.Window.MaxLength, now))).ToList();
        var firing = slo.Alerting ? measures.Where(m => m.Firing).ToList() : [];
        var state = budget.Events.Total == 0 ? "no_data"
            : firing.Any(m => m.Rule.Action == Config.BurnAction.Page) ? "page"
            : firing.Count > 0 ? "ticket"
            : budget.Exhausted ? "exhausted"
            : "ok";
        return new SloStatus(slo, now, budget, measures, rates, state);
    }
}
