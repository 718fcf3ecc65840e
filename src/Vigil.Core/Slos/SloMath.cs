namespace Vigil.Core.Slos;

/// <summary>The error budget of an SLO at one instant.</summary>
/// <param name="Attainment">Good share over the window so far; null with no events.</param>
/// <param name="Consumed">Share of the window's budget used (1 = all of it; can exceed 1).</param>
/// <param name="Coverage">Share of the window that history covers (1 once history is as old as the window).</param>
/// <param name="BurnRate">The current burn rate the projection uses (over <see cref="SloMath.ProjectionWindow"/>).</param>
/// <param name="TimeLeft">At the current rate, how long the remaining budget lasts; null when not burning, already exhausted, or beyond the window.</param>
/// <param name="ExhaustedAt">When the budget runs out at the current rate (now + <see cref="TimeLeft"/>).</param>
public sealed record ErrorBudget(
    double? Attainment,
    SliCount Events,
    double Consumed,
    double Coverage,
    double BurnRate,
    TimeSpan? TimeLeft,
    DateTimeOffset? ExhaustedAt)
{
    /// <summary>Share of the budget left: 1 − consumed (negative once overspent).</summary>
    public double Remaining => 1 - Consumed;

    /// <summary>No budget left: the deploy gate refuses.</summary>
    public bool Exhausted => Consumed >= 1 - 1e-9;
}

/// <summary>One UTC day of an SLO's window: its events between <paramref name="From"/> and <paramref name="To"/> (the window's start and now clip the first and last day).</summary>
public sealed record SloDay(DateOnly Day, DateTimeOffset From, DateTimeOffset To, SliCount Events)
{
    /// <summary>Good share of the day, or null with no events.</summary>
    public double? Attainment => Events.Attainment;
}

/// <summary>
/// SLO arithmetic, pure functions of (definition, series, now). See docs/slos.md for the formulas.
/// </summary>
public static class SloMath
{
    /// <summary>The burn rate the exhaustion projection uses: over the shortest alert's long window, else 1h.</summary>
    public static TimeSpan ProjectionWindow(SloDefinition slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo.Alerts.Count == 0 ? TimeSpan.FromHours(1) : slo.Alerts.Min(a => a.Long);
    }

    /// <summary>
    /// How fast the budget burns over the last <paramref name="window"/>: the error ratio divided by the
    /// allowed bad fraction. 1 uses the budget up exactly at the window's end; 0 with no events.
    /// </summary>
    public static double BurnRate(SloDefinition slo, ISliEvents series, TimeSpan window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(series);
        return series.Sum(now - window, now).ErrorRatio / slo.Budget;
    }

    /// <summary>
    /// The budget at <paramref name="now"/>. Consumed = error ratio over the window so far ÷ allowed bad
    /// fraction × coverage, where coverage is the observed share of the window: with history as long as
    /// the window this is the usual bad ÷ allowed bad; with one hour of history in a 30-day window, a
    /// 14.4× burn has used 14.4 × 1/720 = 2 % (the SRE workbook's figure).
    /// </summary>
    public static ErrorBudget Budget(SloDefinition slo, ISliEvents series, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(series);
        var (start, length) = slo.Window.At(now);
        var observedFrom = series.First is { } first && first > start ? first : start;
        var events = series.Sum(start, now);
        var coverage = events.Total == 0 ? 0 : Math.Clamp((now - observedFrom) / length, 0, 1);
        var consumed = events.ErrorRatio / slo.Budget * coverage;
        var rate = BurnRate(slo, series, ProjectionWindow(slo), now);
        TimeSpan? left = null;
        var remaining = 1 - consumed;
        if (rate > 0 && remaining > 0)
        {
            var ticks = remaining * length.Ticks / rate;
            // Past the window's end (calendar) or its length (rolling), old errors leave the window
            // first: a straight line says nothing there.
            var limit = slo.Window.IsCalendarMonth ? (start + length) - now : length;
            if (ticks <= limit.Ticks)
            {
                left = TimeSpan.FromTicks((long)ticks);
            }
        }

        return new ErrorBudget(events.Attainment, events, consumed, coverage, rate, left, left is { } l ? now + l : null);
    }

    /// <summary>
    /// The SLO's window in force at <paramref name="now"/> split into UTC days, oldest first: each day's
    /// events from the later of its midnight and the window's start, to the earlier of its end and now.
    /// A 30-day rolling window gives 31 entries (the first and the last partial); a 2-hour window one or two.
    /// </summary>
    public static IReadOnlyList<SloDay> History(SloDefinition slo, SliSeries series, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(series);
        var (start, _) = slo.Window.At(now);
        var list = new List<SloDay>();
        var day = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        while (day < now)
        {
            var from = day > start ? day : start;
            var next = day.AddDays(1);
            var to = next < now ? next : now;
            if (to > from)
            {
                list.Add(new SloDay(DateOnly.FromDateTime(day.UtcDateTime), from, to, series.Sum(from, to)));
            }

            day = next;
        }

        return list;
    }

    /// <summary>Good share per UTC day over the last <paramref name="days"/> days (oldest first), today included up to now.</summary>
    public static IReadOnlyList<(DateOnly Day, SliCount Events)> Daily(SliSeries series, int days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(series);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var list = new List<(DateOnly, SliCount)>(days);
        for (var i = days - 1; i >= 0; i--)
        {
            var from = today.AddDays(-i);
            var to = i == 0 ? now : from.AddDays(1);
            list.Add((DateOnly.FromDateTime(from.UtcDateTime), series.Sum(from, to)));
        }

        return list;
    }
}
