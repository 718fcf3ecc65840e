using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Slos;

/// <summary>One burn-rate rule measured at an instant.</summary>
public sealed record BurnMeasure(BurnRule Rule, double LongRate, double ShortRate, long LongEvents, long ShortEvents)
{
    // 0.001 / (1 - 0.999) is 0.99999999999999911 in binary floating point: a burn of exactly 1x must fire a 1x rule.
    private const double Tolerance = 1e-9;

    /// <summary>Both windows have events and burn at least the rule's factor.</summary>
    public bool Firing => LongEvents > 0 && ShortEvents > 0 && LongRate >= Rule.Factor * (1 - Tolerance) && ShortRate >= Rule.Factor * (1 - Tolerance);
}

/// <summary>What the SLO's signal last said: nothing yet (null), firing at a severity, or resolved.</summary>
public sealed record SloAlertState(bool Firing, string? Severity, string? Rule);

/// <summary>What to do with the SLO's signal this turn.</summary>
public enum SloSignalAction
{
    None,
    Fire,
    Resolve,
}

/// <summary>The decision of one turn: the action, the new state, and the signal's text.</summary>
public sealed record SloAlertDecision(SloSignalAction Action, SloAlertState State, string? Severity, string Summary, string? Title);

/// <summary>
/// Multi-window, multi-burn-rate alerting (SRE workbook): pure functions of (definition, series or
/// measures, previous state, now).
/// </summary>
public static class BurnAlerts
{
    /// <summary>Every rule of the SLO measured at <paramref name="now"/>.</summary>
    public static IReadOnlyList<BurnMeasure> Measure(SloDefinition slo, ISliEvents series, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(series);
        return slo.Alerts.Select(rule =>
        {
            var longCount = series.Sum(now - rule.Long, now);
            var shortCount = series.Sum(now - rule.Short, now);
            return new BurnMeasure(rule, longCount.ErrorRatio / slo.Budget, shortCount.ErrorRatio / slo.Budget, longCount.Total, shortCount.Total);
        }).ToList();
    }

    /// <summary>
    /// The signal to send given the measures and what was sent before. Fires when a rule fires (at the
    /// severity of the most severe firing action: page over ticket), again when that severity changes,
    /// and resolves once no rule fires, which happens as soon as each rule's short window recovers.
    /// A null <paramref name="previous"/> (after a start) resolves, so a signal left firing by an earlier
    /// process ends; the incident engine ignores a resolve for a signal it does not hold.
    /// </summary>
    public static SloAlertDecision Decide(SloDefinition slo, IReadOnlyList<BurnMeasure> measures, ErrorBudget budget, SloAlertState? previous)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(budget);
        var firing = slo.Alerting ? measures.Where(m => m.Firing).ToList() : [];
        var budgetText = string.Create(CultureInfo.InvariantCulture,
            $"{budget.Consumed * 100:0.##}% of the error budget used, {budget.Remaining * 100:0.##}% left");
        if (firing.Count == 0)
        {
            var resolved = new SloAlertState(false, null, null);
            var text = $"SLO {slo.Id} burn rate back under its alert thresholds; {budgetText}";
            return previous is { Firing: false }
                ? new SloAlertDecision(SloSignalAction.None, previous, null, text, null)
                : new SloAlertDecision(SloSignalAction.Resolve, resolved, null, text, null);
        }

        var top = firing.FirstOrDefault(m => m.Rule.Action == BurnAction.Page) ?? firing[0];
        var severity = slo.SeverityFor(top.Rule.Action);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"SLO {slo.Id} ({slo.ObjectiveText} over {slo.Window}) is burning its error budget {top.LongRate:0.#}x over {Duration.Format(top.Rule.Long)} and {top.ShortRate:0.#}x over {Duration.Format(top.Rule.Short)} (alert {top.Rule.Name}, {top.Rule.Action.ToString().ToLowerInvariant()}); {budgetText}");
        if (budget.ExhaustedAt is { } at)
        {
            summary += $"; exhausted by {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC at this rate";
        }

        var state = new SloAlertState(true, severity, top.Rule.Name);
        var title = string.Create(CultureInfo.InvariantCulture, $"SLO {slo.Id} burning {top.LongRate:0.#}x its error budget ({slo.Service})");
        return previous is { Firing: true } p && p.Severity == severity
            ? new SloAlertDecision(SloSignalAction.None, state, severity, summary, title)
            : new SloAlertDecision(SloSignalAction.Fire, state, severity, summary, title);
    }
}
