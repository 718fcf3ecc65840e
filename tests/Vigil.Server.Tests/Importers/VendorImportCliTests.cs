using System.Text.Json;
using Vigil.Cli;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Importers;

/// <summary>
/// <c>vigil import pagerduty|opsgenie|grafana-oncall</c> through the real CLI: the fragment it writes
/// is served by a real Vigil, whose <c>vigil oncall</c> answers as the vendor's own rendering does;
/// files are never overwritten without --force; bad input is one clear sentence; and
/// <c>vigil import FILE</c> still imports state.
/// </summary>
public sealed class VendorImportCliTests
{
    private static string Fixture(string vendor) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Importers", vendor);

    [Theory]
    // PagerDuty's final_schedule for Primary NY (fixture): around the 14 Mar 2027 DST change.
    [InlineData("pagerduty", "primary-ny", "2027-03-13T23:00:00-05:00", "dave")]   // an override spanning the change
    [InlineData("pagerduty", "primary-ny", "2027-03-14T12:00:00-04:00", "erin")]   // weekend restriction, after the change
    [InlineData("pagerduty", "primary-ny", "2027-03-15T10:00:00-04:00", "bob")]    // weekly Mon 09:00 handoff, local time kept
    [InlineData("pagerduty", "support-berlin", "2027-03-29T21:00:00+02:00", "bob")] // 12h turns at 08:00/20:00 local, after the 28 Mar change
    [InlineData("pagerduty", "support-berlin", "2027-03-28T12:00:00+02:00", "dave")] // 3-day turns, weekend
    // Opsgenie fixture: overrides across the NY and Berlin changes, and a weekly rotation in business hours.
    [InlineData("opsgenie", "storefront", "2027-03-14T03:00:00-04:00", "frank")]
    [InlineData("opsgenie", "platform", "2027-03-28T04:00:00+02:00", "bob")]
    [InlineData("opsgenie", "platform", "2027-03-29T10:00:00+02:00", "alice")]
    // Grafana OnCall fixture: an override across the NY change, a Saturday recurrent event in Berlin.
    [InlineData("grafana-oncall", "edge-ny", "2027-03-14T03:30:00-04:00", "erin")]
    [InlineData("grafana-oncall", "sre-berlin", "2027-03-27T12:00:00+01:00", "frank")]
    public async Task Import_ThenServe_VigilOnCallAnswersAsTheVendorRendersIt(string vendor, string schedule, string at, string expected)
    {
        using var dir = new TempDirectory();
        var run = await CliRun.RunAsync(["import", vendor, Fixture(vendor), "--out", $"{vendor}.yaml"], dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Wrote {dir.File($"{vendor}.yaml")}", run.Out);
        Assert.True(File.Exists(dir.File($"{vendor}.report.md")));

        await using var server = await TestServer.StartAsync($"vigil: {{ name: import-test, environment: dev }}\ninclude: [{vendor}.yaml]\n", dir: dir);
        var oncall = await server.CliAsync("oncall", "--schedule", schedule, "--at", at, "-o", "json");
        Assert.True(oncall.ExitCode == 0, oncall.ToString());
        Assert.Equal(expected, Assert.Single(JsonSerializer.Deserialize<List<OnCallView>>(oncall.Out, VigilJson.Options)!).Person);

        var validate = await CliRun.RunAsync(["config", "validate", "-c", dir.File("vigil.yaml")], dir.Path);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task ExistingFiles_AreNotOverwritten_WithoutForce_AndJsonListsTheUnmapped()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("pagerduty.yaml"), "mine\n");

        var refused = await CliRun.RunAsync(["import", "pagerduty", Fixture("pagerduty")], dir.Path);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("pagerduty.yaml exists; nothing was written", refused.Error);
        Assert.Equal("mine\n", await File.ReadAllTextAsync(dir.File("pagerduty.yaml")));
        Assert.False(File.Exists(dir.File("pagerduty.report.md")));

        var forced = await CliRun.RunAsync(["import", "pagerduty", Fixture("pagerduty"), "--force", "-o", "json"], dir.Path);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        using var json = JsonDocument.Parse(forced.Out);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("unmapped").EnumerateArray(), u => u.GetProperty("reason").GetString()!.Contains("3605 s", StringComparison.Ordinal));
        Assert.StartsWith("# Imported from PagerDuty", await File.ReadAllTextAsync(dir.File("pagerduty.yaml")));
        Assert.Contains("| integration |", await File.ReadAllTextAsync(dir.File("pagerduty.report.md")));
    }

    [Fact]
    public async Task BadInput_IsOneClearSentence_NamingFileAndJsonPath()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("export"));
        await File.WriteAllTextAsync(dir.File("export/users.json"), """{ "users": [ { "id": "P1", "name": "A", "time_zone": 5 } ] }""");

        var run = await CliRun.RunAsync(["import", "pagerduty", "export"], dir.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("users.json: at $.users[0].time_zone: `5` is not an IANA time zone", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(File.Exists(dir.File("pagerduty.yaml")));
    }

    [Fact]
    public async Task VendorHelp_HasNoStateFileArgument_ButImportHelpKeepsIt()
    {
        using var dir = new TempDirectory();

        var vendor = await CliRun.RunAsync(["import", "pagerduty", "--help"], dir.Path);
        var import = await CliRun.RunAsync(["import", "--help"], dir.Path);

        Assert.True(vendor.ExitCode == 0, vendor.ToString());
        Assert.Contains(" import pagerduty [<paths>...] [options]", vendor.Out); // the root is named after the process (testhost here)
        Assert.DoesNotContain("<file>", vendor.Out);
        Assert.Contains("--api-key-file", vendor.Out);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("<file>", import.Out);
    }

    [Fact]
    public async Task ImportOfAFile_StillImportsState_NotAVendor()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), TestServer.MinimalConfig);
        await File.WriteAllTextAsync(dir.File("state.jsonl"), "not an export\n");

        var run = await CliRun.RunAsync(["import", "state.jsonl", "-c", dir.File("vigil.yaml")], dir.Path);

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain("PagerDuty", run.Error);
        Assert.Contains("state.jsonl", run.Error);
    }
}
