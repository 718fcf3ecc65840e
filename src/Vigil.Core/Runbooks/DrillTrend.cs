namespace Vigil.Core.Runbooks;

/// <summary>How a service's drills are going: counts, the latest result and total, and whether recovery is getting faster.</summary>
/// <param name="Trend"><c>faster</c>, <c>slower</c> or <c>steady</c> (the latest total against the mean of the earlier ones,
/// 10% either way), or <c>-</c> with fewer than two drills that recovered.</param>
public sealed record DrillTrend(string Service, int Drills, int Passed, DrillStatus Last, TimeSpan? LastTotal, TimeSpan? MeanTotal, string Trend)
{
    /// <summary>One trend per service of <paramref name="drills"/> (any order), finished drills only, services in order.</summary>
    public static IReadOnlyList<DrillTrend> Of(IEnumerable<DrillRecord> drills)
    {
        ArgumentNullException.ThrowIfNull(drills);
        return drills.Where(d => d.Status is DrillStatus.Passed or DrillStatus.Failed)
            .GroupBy(d => d.Service, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(d => d.StartedAt).ThenBy(d => d.Id).ToList();
                var totals = ordered.Where(d => d.Total is not null).Select(d => d.Total!.Value).ToList();
                TimeSpan? mean = totals.Count == 0 ? null : TimeSpan.FromTicks((long)totals.Average(t => t.Ticks));
                var trend = "-";
                if (totals.Count >= 2)
                {
                    var earlier = totals[..^1].Average(t => t.Ticks);
                    var last = totals[^1].Ticks;
                    trend = last < earlier * 0.9 ? "faster" : last > earlier * 1.1 ? "slower" : "steady";
                }

                return new DrillTrend(g.Key, ordered.Count, ordered.Count(d => d.Status == DrillStatus.Passed), ordered[^1].Status, ordered[^1].Total, mean, trend);
            })
            .ToList();
    }
}
