using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class DrillTrendTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static DrillRecord Drill(long id, string service, DrillStatus status, double? total) =>
        new(id, "outage", service, status, "alice", T0.AddDays(id), T0.AddDays(id).AddSeconds(1), total is null ? null : T0.AddDays(id).AddSeconds(2),
            total is { } t ? T0.AddDays(id).AddSeconds(1 + t) : null, T0.AddDays(id).AddMinutes(5), TimeSpan.FromMinutes(2), null, null, null, null, null, "x");

    [Fact]
    public void Of_LatestFasterThanEarlierMean_IsFaster_PerService()
    {
        var trends = DrillTrend.Of([Drill(3, "api", DrillStatus.Passed, 30), Drill(1, "api", DrillStatus.Failed, 90), Drill(2, "api", DrillStatus.Passed, 60),
            Drill(4, "db", DrillStatus.Passed, 10)]);

        var api = trends[0];
        Assert.Equal(("api", 3, 2, DrillStatus.Passed, "faster"), (api.Service, api.Drills, api.Passed, api.Last, api.Trend));
        Assert.Equal(TimeSpan.FromSeconds(30), api.LastTotal);
        Assert.Equal(TimeSpan.FromSeconds(60), api.MeanTotal);
        Assert.Equal(("db", "-"), (trends[1].Service, trends[1].Trend));
    }

    [Fact]
    public void Of_SlowerAndSteady_AndUnfinishedDrillsLeftOut()
    {
        Assert.Equal("slower", DrillTrend.Of([Drill(1, "api", DrillStatus.Passed, 30), Drill(2, "api", DrillStatus.Failed, 40)])[0].Trend);
        Assert.Equal("steady", DrillTrend.Of([Drill(1, "api", DrillStatus.Passed, 30), Drill(2, "api", DrillStatus.Passed, 32)])[0].Trend);
        var one = Assert.Single(DrillTrend.Of([Drill(1, "api", DrillStatus.Passed, 30), Drill(2, "api", DrillStatus.Running, null), Drill(3, "api", DrillStatus.Interrupted, null)]));
        Assert.Equal(1, one.Drills);
    }

    [Fact]
    public void Of_NotDetectedDrillHasNoTotal_ButCounts()
    {
        var trend = Assert.Single(DrillTrend.Of([Drill(1, "api", DrillStatus.Passed, 30), Drill(2, "api", DrillStatus.Failed, null)]));

        Assert.Equal((2, 1, DrillStatus.Failed), (trend.Drills, trend.Passed, trend.Last));
        Assert.Null(trend.LastTotal);
        Assert.Equal("-", trend.Trend);
    }
}
