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
    [InlineData("service!=api", "api", false)]
    [InlineData("service!=api", "web", true)]
    [InlineData("service!=api", null, true)]
    [InlineData("service!~api|web", "web", false)]
    [InlineData("service!~api|web", "db", true)]
    [InlineData("service!~ap", "api", true)]
    [InlineData("service!~.+", null, true)]
    [InlineData("service=~.+", null, false)]
    [InlineData("service=api", null, false)]
    [InlineData("service=\"\"", null, true)]
    public void Matches_FourOperators_AnchoredAndMissingLabelIsEmpty(string text, string? value, bool expected)
    {
        Assert.True(SilenceMatcher.TryParse(text, out var m, out var error), error);
        var labels = value is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["service"] = value };
        Assert.Equal(expected, m!.Matches(labels));
    }

    [Theory]
    [InlineData("env!=staging", "env", "staging", false, false, "env!=staging")]
    [InlineData(" env != staging ", "env", "staging", false, false, "env!=staging")]
    [InlineData("alertname!~Disk.*", "alertname", "Disk.*", true, false, "alertname!~Disk.*")]
    [InlineData("alertname=~Disk.*", "alertname", "Disk.*", true, true, "alertname=~Disk.*")]
    [InlineData("alertname=\"Disk full\"", "alertname", "Disk full", false, true, "alertname=Disk full")]
    [InlineData("note=\"say \\\"hi\\\"\"", "note", "say \"hi\"", false, true, "note=say \"hi\"")]
    [InlineData("url=a=b!=c", "url", "a=b!=c", false, true, "url=a=b!=c")]
    [InlineData("pad=\" x \"", "pad", " x ", false, true, "pad=\" x \"")]
    public void TryParse_AlertmanagerSyntax_ReadsLabelOperatorValueAndRoundTrips(string text, string label, string value, bool isRegex, bool isEqual, string shown)
    {
        Assert.True(SilenceMatcher.TryParse(text, out var m, out var error), error);
        Assert.Equal(new SilenceMatcher(label, value, isRegex, isEqual), m);
        Assert.Equal(shown, m!.ToString());
        Assert.True(SilenceMatcher.TryParse(m.ToString(), out var again, out _));
        Assert.Equal(m, again);
    }

    [Theory]
    [InlineData("service", "has no operator")]
    [InlineData("=api", "no label name before '='")]
    [InlineData("!=api", "no label name before '!'")]
    [InlineData("service!api", "'!' at character 8 must be followed by '=' or '~'")]
    [InlineData("my service=api", "contains a space")]
    [InlineData("service=~(", "not a valid regex")]
    [InlineData("service!~(", "not a valid regex")]
    [InlineData("alertname=~(?x)a#", "not a valid regex")]
    [InlineData("alertname=\"Disk", "opening quote is never closed")]
    [InlineData("alertname=\"Disk\" full", "text after the closing quote at character 6")]
    public void TryParse_Bad_SaysWhatWhereAndHowToWriteIt(string text, string what)
    {
        Assert.False(SilenceMatcher.TryParse(text, out _, out var error));
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.Contains(text.Trim(), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MatcherStoredBeforeNotEqual_ReadsAsEqual()
    {
        // The shape the store held before != and !~: no IsEqual field.
        var stored = System.Text.Json.JsonSerializer.Deserialize<SilenceMatcher>("""{"Label":"service","Value":"api","IsRegex":false}""");
        Assert.Equal(new SilenceMatcher("service", "api", false, true), stored);
        Assert.True(stored!.Matches(new Dictionary<string, string> { ["service"] = "api" }));
    }

    [Fact]
    public void Serialize_NotRegex_StoresAlertmanagerFieldsAndReadsBack()
    {
        Assert.True(SilenceMatcher.TryParse("check!~smoke-.*", out var m, out _));

        var json = System.Text.Json.JsonSerializer.Serialize(m);

        Assert.Equal("""{"Label":"check","Value":"smoke-.*","IsRegex":true,"IsEqual":false}""", json);
        Assert.Equal(m, System.Text.Json.JsonSerializer.Deserialize<SilenceMatcher>(json));
    }

    [Theory]
    [InlineData(new[] { "env!=prod" }, false)]
    [InlineData(new[] { "env!~prod|staging", "check!=health" }, false)]
    [InlineData(new[] { "service=~.*" }, false)]
    [InlineData(new[] { "env!=prod", "service=api" }, true)]
    [InlineData(new[] { "service!~.+|x", "alertname=~Disk.*" }, true)]
    public void CheckMatchers_EveryMatcherMatchesEmpty_IsRefusedAsAlertmanagerDoes(string[] texts, bool accepted)
    {
        var matchers = texts.Select(t => SilenceMatcher.TryParse(t, out var m, out _) ? m! : throw new ArgumentException(t)).ToList();
        var error = Silence.CheckMatchers(matchers);
        Assert.Equal(accepted, error is null);
    }

    [Fact]
    public void Matches_EveryMatcherMustHold()
    {
        Assert.True(SilenceMatcher.TryParse("service=api", out var a, out _));
        Assert.True(SilenceMatcher.TryParse("env!=staging", out var b, out _));
        Assert.NotNull(Silence.CheckMatchers([]));
        var silence = new Silence(1, [a!, b!], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), "c", "me", DateTimeOffset.UnixEpoch, null, null);
        Assert.True(silence.Matches(new Dictionary<string, string> { ["service"] = "api", ["env"] = "prod" }));
        Assert.True(silence.Matches(new Dictionary<string, string> { ["service"] = "api" }));
        Assert.False(silence.Matches(new Dictionary<string, string> { ["service"] = "api", ["env"] = "staging" }));
        Assert.False(silence.Matches(new Dictionary<string, string> { ["service"] = "web", ["env"] = "prod" }));
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
