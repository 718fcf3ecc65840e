using Vigil.Core.Config;

namespace Vigil.Core.Slos;

/// <summary>Good and total events over spans of time, what the SLO math reads: a <see cref="SliSeries"/> from check history, or <see cref="SliWindows"/> from Prometheus.</summary>
public interface ISliEvents
{
    /// <summary>Events from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive); nothing when <paramref name="to"/> ≤ <paramref name="from"/>.</summary>
    SliCount Sum(DateTimeOffset from, DateTimeOffset to);

    /// <summary>When the history starts, for the budget's coverage; null when unknown or empty (the window counts as covered).</summary>
    DateTimeOffset? First { get; }
}

/// <summary>
/// Events over the spans ending at one instant, as a Prometheus SLI answers them (one
/// <c>sum(increase(…[span]))</c> of good and one of total per span). <see cref="Spans"/> names the spans
/// the math reads; asking for any other is a bug. The history is Prometheus's, so it counts as covering
/// the whole window (<see cref="First"/> is null).
/// </summary>
public sealed class SliWindows(DateTimeOffset at, IReadOnlyDictionary<TimeSpan, SliCount> counts) : ISliEvents
{
    public DateTimeOffset At { get; } = at;

    public DateTimeOffset? First => null;

    public SliCount Sum(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return default;
        }

        if (to != At || !counts.TryGetValue(to - from, out var count))
        {
            throw new InvalidOperationException($"the span {Duration.Format(to - from)} ending {to:O} was not queried (queried: {string.Join(", ", counts.Keys.Select(Duration.Format))} ending {At:O})");
        }

        return count;
    }

    /// <summary>
    /// The spans ending at <paramref name="now"/> that budget, burn rates, projection and alerts of
    /// <paramref name="slo"/> read: the window so far, the projection window, the report windows (at most
    /// the SLO's window), and every alert's long and short window. Shortest first, positive, distinct.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Spans(SloDefinition slo, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var (start, _) = slo.Window.At(now);
        return new[] { now - start, SloMath.ProjectionWindow(slo) }
            .Concat(SloEvaluation.ReportWindows.Select(w => w.Span < slo.Window.MaxLength ? w.Span : slo.Window.MaxLength))
            .Concat(slo.Alerts.SelectMany(a => new[] { a.Long, a.Short }))
            .Where(s => s > TimeSpan.Zero)
            .Distinct()
            .Order()
            .ToList();
    }
}
