using System.Text.Json;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>The <c>vigil runbook</c> and <c>vigil drill</c> commands as a user runs them: on files without a server, and against a real one.</summary>
public sealed class RunbookCliTests
{
    private const string Restart = """
        ---
        id: restart
        title: Restart the web tier
        service: web
        category: remediation
        last_reviewed: 2026-11-01
        params:
          - name: unit
            description: the unit to restart
            default: web
        ---
        # Restart the web tier

        ## Restart

        ```bash {name=restart mutating=true}
        # Restart the unit.
        echo "restarting <unit>" > restarted.txt
        ```

        ```bash {name=verify}
        # Verify it came back.
        grep -q restarting restarted.txt && echo "verified <unit>"
        ```
        """;

    [Fact]
    public async Task ShowLintAndPlan_WorkOnAFile_WithoutAServer()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("restart.md"), Restart);
        await File.WriteAllTextAsync(dir.File("hazard.md"), """
            ---
            vigil: executable
            ---
            # Cache

            ## Flush

            ```bash
            redis-cli -h <host> FLUSHALL
            ```
            """);
        var offline = new Dictionary<string, string> { ["VIGIL_SERVER"] = "http://127.0.0.1:1" };

        var show = await CliRun.RunAsync(["runbook", "show", "restart.md"], dir.Path, offline);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("Restart the web tier", show.Out, StringComparison.Ordinal);
        Assert.Contains("--param unit=", show.Out, StringComparison.Ordinal);
        Assert.Contains("VIGIL_PARAM_unit", show.Out, StringComparison.Ordinal);

        var clean = await CliRun.RunAsync(["runbook", "lint", "restart.md"], dir.Path, offline);
        Assert.True(clean.ExitCode == 0, clean.ToString());

        var lint = await CliRun.RunAsync(["runbook", "lint", "hazard.md", "-o", "json"], dir.Path, offline);
        Assert.Equal(1, lint.ExitCode);
        using var json = JsonDocument.Parse(lint.Out);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("rule").GetString() == "destructive-command" && f.GetProperty("line").GetInt32() == 9
            && f.GetProperty("file").GetString() == "hazard.md");
        Assert.Contains(findings, f => f.GetProperty("rule").GetString() == "unresolved-placeholder");

        var plan = await CliRun.RunAsync(["runbook", "plan", "restart.md", "--param", "unit=web-2"], dir.Path, offline);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("echo \"restarting ${VIGIL_PARAM_unit}\" > restarted.txt", plan.Out, StringComparison.Ordinal);
        Assert.Contains("param unit = web-2", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Mutating steps: 1", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Freeze: unknown", plan.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("restarted.txt"))); // a plan runs nothing

        var bad = await CliRun.RunAsync(["runbook", "plan", "restart.md", "--param", "unit=a;b"], dir.Path, offline);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unit", bad.Error, StringComparison.Ordinal);

        var missing = await CliRun.RunAsync(["runbook", "show", "nope.md"], dir.Path, offline);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("pass a path or --config", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_WritesATemplateThatLintsClean_AndRefusesToOverwrite()
    {
        using var dir = new TempDirectory();
        foreach (var template in new[] { "restart", "recovery", "maintenance", "blue-green" })
        {
            var created = await CliRun.RunAsync(["runbook", "new", $"my {template}", "--template", template], dir.Path);
            Assert.True(created.ExitCode == 0, created.ToString());
            var path = dir.File($"my-{template}.md");
            Assert.True(File.Exists(path));
            var lint = await CliRun.RunAsync(["runbook", "lint", path], dir.Path);
            Assert.True(lint.ExitCode == 0, $"{template}: {lint}");
            Assert.Contains("0 error(s), 0 warning(s)", lint.Out, StringComparison.Ordinal);
        }

        var again = await CliRun.RunAsync(["runbook", "new", "my restart"], dir.Path);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        var unknown = await CliRun.RunAsync(["runbook", "new", "x", "--template", "nope"], dir.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("recovery", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Interactive_AsksPerStep_StreamsOutput_AndListsAndLogs()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["restart.md"] = Restart });

        var noTerminal = await h.Server.CliAsync("runbook", "run", "restart");
        Assert.Equal(2, noTerminal.ExitCode);
        Assert.Contains("--yes", noTerminal.Error, StringComparison.Ordinal);

        var run = await h.Server.CliWithInputAsync("y\nyes\n", "runbook", "run", "restart", "--param", "unit=web-7");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, CountOf(run.Out, "Run it?"));
        Assert.Contains("verified web-7", run.Out, StringComparison.Ordinal);
        Assert.Contains("succeeded", run.Out, StringComparison.Ordinal);

        var declined = await h.Server.CliWithInputAsync("n\n", "runbook", "run", "restart");
        Assert.Equal(1, declined.ExitCode);
        Assert.Contains("declined", declined.Out, StringComparison.Ordinal);

        var list = await h.Server.CliAsync("runbook", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("restart", list.Out, StringComparison.Ordinal);
        Assert.Contains("cancelled", list.Out, StringComparison.Ordinal); // the last run's outcome

        var runs = await h.Server.CliAsync("runbook", "runs", "restart");
        Assert.Contains("succeeded", runs.Out, StringComparison.Ordinal);
        var log = await h.Server.CliAsync("runbook", "log", "1");
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Contains("verified web-7", log.Out, StringComparison.Ordinal);
        Assert.Contains("param unit=web-7", log.Out, StringComparison.Ordinal);

        var followed = await h.Server.CliAsync("runbook", "follow", "1"); // a finished run is replayed from its record
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains("verified web-7", followed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_YesRunsUnattended_AndFailureExitsOne()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string>
        {
            ["restart.md"] = Restart,
            ["broken.md"] = "# Broken\n\n```bash\necho before\nfalse\necho after\n```\n",
        });
        var ok = await h.Server.CliAsync("runbook", "run", "restart", "--yes");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.DoesNotContain("Run it?", ok.Out, StringComparison.Ordinal);
        // The last line says how it ended, with no empty "succeeded: " when the server gives no message.
        Assert.DoesNotContain(ok.Out.Split('\n'), l => l.TrimEnd().EndsWith(':'));

        var failed = await h.Server.CliAsync("runbook", "run", "broken", "--yes");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("before", failed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("after", failed.Out, StringComparison.Ordinal); // bash -e stops at the failing command
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Show_LongStepAndNoSteps_SaysWhatIsCutAndWhatIsMissing()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("long.md"), "# Long\n\n## Do it\n\n```bash\necho 1\necho 2\necho 3\necho 4\n```\n");
        await File.WriteAllTextAsync(dir.File("prose.md"), "# Prose\n\nNothing to run here.\n");
        var offline = new Dictionary<string, string> { ["VIGIL_SERVER"] = "http://127.0.0.1:1" };

        var longRun = await CliRun.RunAsync(["runbook", "show", "long.md"], dir.Path, offline);
        Assert.True(longRun.ExitCode == 0, longRun.ToString());
        Assert.Contains("… 2 more line(s); vigil runbook show long.md -p do-it", longRun.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("echo 3", longRun.Out, StringComparison.Ordinal);

        var prose = await CliRun.RunAsync(["runbook", "show", "prose.md"], dir.Path, offline);
        Assert.True(prose.ExitCode == 0, prose.ToString());
        Assert.Contains("no fenced bash code blocks", prose.Out, StringComparison.Ordinal);
    }
}
