using Vigil.Core.Checks;

namespace Vigil.Core.Slos;

/// <summary>
/// Turns check history into SLI events. A probe is one event. Availability: good when its state was ok.
/// Latency: good when ok and no slower than the threshold. Raw samples (kept 48 h) are counted exactly;
/// older hours have minute rollups only, where a latency minute counts its ok probes as good only when
/// the minute's slowest probe met the threshold (conservative).
/// </summary>
public static class SliCounting
{
    /// <summary>Per-minute events of one hour over the given checks' rollups of that hour.</summary>
    public static List<(DateTimeOffset Minute, SliCount Count)> Minutes(SloDefinition slo, IEnumerable<HourRollup> hourOfChecks)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(hourOfChecks);
        var thresholdMs = slo.LatencyThreshold is { } t ? (long)t.TotalMilliseconds : long.MaxValue;
        var byMinute = new SortedDictionary<DateTimeOffset, SliCount>();
        foreach (var rollup in hourOfChecks)
        {
            if (rollup.Raw is { } raw)
            {
                foreach (var s in raw)
                {
                    var minute = new DateTimeOffset(s.At.UtcTicks - (s.At.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
                    var good = s.State == HealthState.Ok && s.LatencyMs <= thresholdMs ? 1 : 0;
                    Add(byMinute, minute, new SliCount(good, 1));
                }
            }
            else
            {
                foreach (var m in rollup.Minutes)
                {
                    var ok = m.Count - m.Failures;
                    var good = slo.Kind == SliKind.Latency && m.MaxLatencyMs > thresholdMs ? 0 : ok;
                    Add(byMinute, m.Minute, new SliCount(good, m.Count));
                }
            }
        }

        return byMinute.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static void Add(SortedDictionary<DateTimeOffset, SliCount> map, DateTimeOffset minute, SliCount count) =>
        map[minute] = map.TryGetValue(minute, out var had) ? had + count : count;
}
