using Vigil.Core.Config;
using Vigil.Core.Operations;

namespace Vigil.Core.Tests.Operations;

public sealed class MaintenanceWindowsTests
{
    private static MaintenanceConfig Weekly(string tz = "Europe/Berlin") =>
        new() { Id = "patching", Cron = "0 2 * * SUN", Duration = TimeSpan.FromHours(2), Timezone = tz, Services = ["*"], BlocksDeploys = true };

    [Fact]
    public void Recurring_ActiveInsideItsOccurrence_InItsTimeZone()
    {
        // Sunday 2026-11-22 02:00 in Berlin (UTC+1) is 01:00Z; the window runs to 03:00Z.
        var inside = new DateTimeOffset(2026, 11, 22, 2, 30, 0, TimeSpan.Zero);
        var active = MaintenanceWindows.FromConfig(Weekly(), inside);

        Assert.NotNull(active);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero), active.StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), active.EndsAt);
        Assert.Equal("config:patching", active.Id);
        Assert.True(active.Covers("anything"));
        Assert.Null(MaintenanceWindows.FromConfig(Weekly(), new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero)));
        Assert.Null(MaintenanceWindows.FromConfig(Weekly(), new DateTimeOffset(2026, 11, 22, 0, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void Next_IsTheFollowingOccurrence()
    {
        var next = MaintenanceWindows.Next(Weekly("UTC"), new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero), next!.StartsAt);
    }

    [Fact]
    public void Active_MixesConfigAndAdHoc_IgnoringCancelledAndEnded()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        MaintenanceWindow AdHoc(long id, int fromMin, int toMin, DateTimeOffset? cancelled = null) =>
            new(id, ["api"], now.AddMinutes(fromMin), now.AddMinutes(toMin), "deploy", false, "alice", now, cancelled, cancelled is null ? null : "bob");

        var active = MaintenanceWindows.Active([Weekly("UTC")], [AdHoc(1, -10, 20), AdHoc(2, -10, 20, now), AdHoc(3, -30, -1), AdHoc(4, 5, 30)], now);

        var only = Assert.Single(active);
        Assert.Equal("#1", only.Id);
        Assert.True(only.Covers("api"));
        Assert.False(only.Covers("db"));
    }
}

public sealed class SilenceMatcherTests
{
    [Theory]
    [InlineData("service=api", "api", true)]
    [InlineData("service=api", "api2", false)]
    [InlineData("service=~api|web", "web", true)]
    [InlineData("service=~ap", "api", false)]
    [InlineData("service=~(a|aa)+", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false)]
    public void Matches_EqualsOrAnchoredRegex(string text, string value, bool expected)
    {
        Assert.True(SilenceMatcher.TryParse(text, out var m, out var error), error);
        Assert.Equal(expected, m!.Matches(new Dictionary<string, string> { ["service"] = value }));
    }

    [Theory]
    [InlineData("service")]
    [InlineData("=api")]
    [InlineData("service=~(")]
    [InlineData("alertname=~(?x)a#")]
    public void TryParse_Bad_SaysHowToWriteIt(string text)
    {
        Assert.False(SilenceMatcher.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
