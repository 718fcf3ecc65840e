using Vigil.Core.Config;
using Vigil.Core.Slos;

namespace Vigil.Server.Api;

/// <summary>A burn rate over one of the reported windows (1h, 6h, 1d, 3d; each at most the SLO's window).</summary>
public sealed record SloBurnView(string Window, double Rate);

/// <summary>One multi-window burn-rate alert rule measured now: firing while both windows burn at least <c>burnRate</c>.</summary>
public sealed record SloAlertView(string Name, string Action, double BurnRate, string LongWindow, string ShortWindow, double LongRate, double ShortRate, bool Firing);

/// <summary>
/// An SLO as of the objectives loop's last evaluation (<c>at</c>). Percentages are 0–100. <c>state</c> is
/// <c>ok</c>, <c>ticket</c> or <c>page</c> (a burn-rate alert fires), <c>exhausted</c> (no budget left, no
/// alert firing), <c>no_data</c> (no events in the window) or <c>unknown</c> (a Prometheus SLI could not be read; <c>note</c> says why).
/// <c>timeLeftSeconds</c> is how long the remaining budget lasts at the current burn rate
/// (<c>projectionBurnRate</c>, over the shortest alert's long window), <c>exhaustedAt</c> when it runs out.
/// </summary>
public sealed record SloView(
    string Id,
    string Service,
    string? Description,
    string Sli,
    double ObjectivePercent,
    string Window,
    DateTimeOffset WindowStart,
    bool Alerting,
    string State,
    string? Severity,
    string? FiringAlert,
    DateTimeOffset At,
    double? AttainmentPercent,
    long GoodEvents,
    long TotalEvents,
    double? BudgetConsumedPercent,
    double? BudgetRemainingPercent,
    double? ProjectionBurnRate,
    double? TimeLeftSeconds,
    DateTimeOffset? ExhaustedAt,
    IReadOnlyList<SloBurnView> BurnRates,
    IReadOnlyList<SloAlertView> Alerts,
    string? Note)
{
    public static SloView From(SloStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var slo = s.Slo;
        var b = s.Budget;
        var firing = slo.Alerting ? s.Measures.Where(m => m.Firing).ToList() : [];
        var top = firing.FirstOrDefault(m => m.Rule.Action == BurnAction.Page) ?? firing.FirstOrDefault();
        return new SloView(
            slo.Id, slo.Service, slo.Description, slo.Kind.ToString().ToLowerInvariant(), Round(slo.Objective * 100), slo.Window.ToConfigString(),
            slo.Window.At(s.At).Start, slo.Alerting, s.State, top is null ? null : slo.SeverityFor(top.Rule.Action), top?.Rule.Name, s.At,
            b?.Attainment is { } a ? Round(a * 100) : null, b?.Events.Good ?? 0, b?.Events.Total ?? 0,
            b is null ? null : Round(b.Consumed * 100), b is null ? null : Round(b.Remaining * 100), b is null ? null : Round(b.BurnRate),
            b?.TimeLeft is { } left ? Math.Round(left.TotalSeconds) : null, b?.ExhaustedAt,
            s.BurnRates.Select(r => new SloBurnView(r.Window, Round(r.Rate))).ToList(),
            s.Measures.Select(m => new SloAlertView(m.Rule.Name, m.Rule.Action.ToString().ToLowerInvariant(), m.Rule.Factor, Duration.Format(m.Rule.Long),
                Duration.Format(m.Rule.Short), Round(m.LongRate), Round(m.ShortRate), slo.Alerting && m.Firing)).ToList(),
            s.Reason);
    }

    internal static double Round(double v) => Math.Round(v, 4);
}

/// <summary>The good share of one UTC day of the SLO's window (the window's start and now clip the first and last day).</summary>
public sealed record SloDayView(DateOnly Day, DateTimeOffset From, DateTimeOffset To, double? AttainmentPercent, long GoodEvents, long TotalEvents)
{
    public static SloDayView Of(SloDay d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new SloDayView(d.Day, d.From, d.To, d.Attainment is { } a ? SloView.Round(a * 100) : null, d.Events.Good, d.Events.Total);
    }
}

/// <summary>An SLO with its attainment per day over the window, oldest first.</summary>
public sealed record SloDetailView(SloView Slo, IReadOnlyList<SloDayView> History);
