namespace Vigil.Core.Checks;

/// <summary>
/// One bar of an uptime chart: the probes in [<see cref="Start"/>, start + bucket), how many failed, and their latency:
/// <see cref="AvgLatencyMs"/> is the probe-weighted mean of the hours' means (exact), <see cref="P95LatencyMs"/> the
/// highest hourly p95 in the bucket (an upper bound: percentiles of hours cannot be merged exactly). Both are null
/// when nothing was probed.
/// </summary>
public sealed record UptimeBucket(DateTimeOffset Start, int Count, int Failures, int? AvgLatencyMs = null, int? P95LatencyMs = null)
{
    /// <summary>Share of successful probes, 0–100; null when nothing was probed (no data, not "down").</summary>
    public double? Percent => Count == 0 ? null : 100.0 * (Count - Failures) / Count;
}

/// <summary>Uptime and latency bars (24 h, 7 d, 90 d) from hourly rollups: pure, so the console and the status page draw the same numbers.</summary>
public static class UptimeBuckets
{
    /// <summary>
    /// <paramref name="count"/> buckets of <paramref name="size"/> ending with the one that holds
    /// <paramref name="now"/>, oldest first. Buckets align to UTC hours (or days for day-sized ones).
    /// </summary>
    public static IReadOnlyList<UptimeBucket> Build(IEnumerable<HourRollup> hours, DateTimeOffset now, TimeSpan size, int count)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, TimeSpan.FromHours(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var utc = now.ToUniversalTime();
        var lastStart = size >= TimeSpan.FromDays(1)
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        var first = lastStart - (size * (count - 1));
        var counts = new int[count];
        var failures = new int[count];
        var latencySum = new long[count];
        var p95 = new int?[count];
        foreach (var h in hours)
        {
            if (h.Hour < first || h.Hour >= lastStart + size)
            {
                continue;
            }

            var i = (int)((h.Hour - first).Ticks / size.Ticks);
            counts[i] += h.Count;
            failures[i] += h.Failures;
            if (h.Count > 0)
            {
                latencySum[i] += (long)h.AvgLatencyMs * h.Count;
                p95[i] = Math.Max(p95[i] ?? 0, h.P95LatencyMs);
            }
        }

        return Enumerable.Range(0, count).Select(i => new UptimeBucket(first + (size * i), counts[i], failures[i],
            counts[i] == 0 ? null : (int)Math.Round((double)latencySum[i] / counts[i]), p95[i])).ToList();
    }

    /// <summary>Uptime over all buckets, 0–100; null when nothing was probed.</summary>
    public static double? Total(IReadOnlyList<UptimeBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var count = buckets.Sum(b => b.Count);
        return count == 0 ? null : 100.0 * (count - buckets.Sum(b => b.Failures)) / count;
    }
}
