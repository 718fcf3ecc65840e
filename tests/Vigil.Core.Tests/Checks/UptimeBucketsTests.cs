using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class UptimeBucketsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 14, 25, 0, TimeSpan.Zero);

    private static HourRollup Hour(DateTimeOffset at, int count, int failures) =>
        new("web/home", at, count, failures, new Dictionary<FailureReason, int>(), 0, 0, 0, 0, [], null);

    [Fact]
    public void Build_HourlyBuckets_EndWithTheCurrentHour_AndSumItsProbes()
    {
        var bars = UptimeBuckets.Build([Hour(Now.AddMinutes(-25), 60, 6), Hour(Now.AddMinutes(-85), 60, 0)], Now, TimeSpan.FromHours(1), 24);
        Assert.Equal(24, bars.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero), bars[^1].Start);
        Assert.Equal(90.0, bars[^1].Percent);
        Assert.Equal(100.0, bars[^2].Percent);
        Assert.Null(bars[0].Percent);
        Assert.Equal(95.0, UptimeBuckets.Total(bars));
    }

    [Fact]
    public void Build_DailyBuckets_AlignToUtcDays_AndIgnoreHoursOutsideTheRange()
    {
        var today = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        var bars = UptimeBuckets.Build([Hour(today.AddHours(3), 10, 1), Hour(today.AddHours(-1), 10, 10), Hour(today.AddDays(-90), 10, 0)], Now, TimeSpan.FromDays(1), 7);
        Assert.Equal(today.AddDays(-6), bars[0].Start);
        Assert.Equal(90.0, bars[^1].Percent);
        Assert.Equal(0.0, bars[^2].Percent);
        Assert.Equal(20, bars.Sum(b => b.Count));
    }

    [Fact]
    public void Build_Latency_IsTheProbeWeightedMean_AndTheHighestHourlyP95()
    {
        var today = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        HourRollup Timed(DateTimeOffset at, int count, int avg, int p95) =>
            new("web/home", at, count, 0, new Dictionary<FailureReason, int>(), 1, avg, p95 * 2, p95, [], null);

        var bars = UptimeBuckets.Build([Timed(today.AddHours(1), 30, 100, 180), Timed(today.AddHours(2), 10, 300, 400)], Now, TimeSpan.FromDays(1), 2);

        Assert.Equal(150, bars[^1].AvgLatencyMs); // (30 × 100 + 10 × 300) / 40
        Assert.Equal(400, bars[^1].P95LatencyMs);
        Assert.Null(bars[0].AvgLatencyMs);
        Assert.Null(bars[0].P95LatencyMs);
    }

    [Fact]
    public void Total_NothingProbed_IsNull_NotZero() =>
        Assert.Null(UptimeBuckets.Total(UptimeBuckets.Build([], Now, TimeSpan.FromDays(1), 90)));
}
