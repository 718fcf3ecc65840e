using System.Text.Json;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary><c>vigil runbook lint</c> with a project policy: baseline, SARIF, and <c>plan</c> of prompt-style blocks.</summary>
public sealed class RunbookLintPolicyCliTests
{
    private const string Fence = "```";

    private const string Config = """
        vigil: { name: lint-test }
        runbooks:
          paths: [runbooks/]
          executable: [runbooks/**]
          lint:
            baseline: .vigil-lint-baseline.json
            rules: { broken-link: off }
        """;

    private static readonly Dictionary<string, string> Offline = new() { ["VIGIL_SERVER"] = "http://127.0.0.1:1" };

    private static string Cache(string intro = "") => $"""
        # Cache
        {intro}
        ## Flush
        {Fence}bash
        redis-cli FLUSHALL
        redis-cli ping
        {Fence}
        See [notes](missing.md).
        """;

    [Fact]
    public async Task WriteBaseline_ThenLint_ReportsOnlyFindingsAddedSince_EvenAfterLinesMoved()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);
        await File.WriteAllTextAsync(dir.File("runbooks/cache.md"), Cache());

        var missing = await CliRun.RunAsync(["runbook", "lint"], dir.Path, Offline);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("does not exist; create it with `vigil runbook lint --write-baseline`", missing.Error, StringComparison.Ordinal);

        var write = await CliRun.RunAsync(["runbook", "lint", "--write-baseline"], dir.Path, Offline);
        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Contains("Wrote 1 finding(s)", write.Out, StringComparison.Ordinal); // broken-link is off
        Assert.True(File.Exists(dir.File(".vigil-lint-baseline.json")));

        var clean = await CliRun.RunAsync(["runbook", "lint"], dir.Path, Offline);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("0 error(s)", clean.Out, StringComparison.Ordinal);
        Assert.Contains("1 finding(s) in the baseline", clean.Out, StringComparison.Ordinal);

        // Lines move (a paragraph above), and a new hazard is added.
        await File.WriteAllTextAsync(dir.File("runbooks/cache.md"), Cache("Paragraph one.\n\nParagraph two.\n") + $"\n## Wipe\n{Fence}bash\nrm -rf /var/lib/cache\ncurl -f http://localhost/health\n{Fence}\n");
        var fresh = await CliRun.RunAsync(["runbook", "lint", "-o", "json"], dir.Path, Offline);
        Assert.True(fresh.ExitCode == 1, fresh.ToString());
        using var json = JsonDocument.Parse(fresh.Out);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("destructive-command", finding.GetProperty("rule").GetString());
        Assert.Contains("rm -rf", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, json.RootElement.GetProperty("baselined").GetInt32());

        var sarif = await CliRun.RunAsync(["runbook", "lint", "-o", "sarif"], dir.Path, Offline);
        Assert.True(sarif.ExitCode == 1, sarif.ToString());
        using var log = JsonDocument.Parse(sarif.Out);
        Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
        var result = Assert.Single(log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("runbooks/cache.md", result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(finding.GetProperty("fingerprint").GetString(), result.GetProperty("partialFingerprints").GetProperty("vigil/v1").GetString());

        var everything = await CliRun.RunAsync(["runbook", "lint", "--baseline", "none.json"], dir.Path, Offline);
        Assert.True(everything.ExitCode == 2, everything.ToString());
        Assert.Contains("none.json does not exist", everything.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConfig_TheDefaultBaselineFileHereIsWrittenAndReadBack()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("cache.md"), Cache());

        var write = await CliRun.RunAsync(["runbook", "lint", "cache.md", "--write-baseline"], dir.Path, Offline);
        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.True(File.Exists(dir.File(".vigil-lint-baseline.json")));

        var again = await CliRun.RunAsync(["runbook", "lint", "cache.md"], dir.Path, Offline);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("2 finding(s) in the baseline", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_IsRefusedByOtherCommands()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("cache.md"), Cache());

        var show = await CliRun.RunAsync(["runbook", "show", "cache.md", "-o", "sarif"], dir.Path, Offline);

        Assert.True(show.ExitCode == 2, show.ToString());
        Assert.Contains("-o sarif is only for `vigil runbook lint`", show.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_OfAPromptStyleBlock_ShowsCommandsWithoutPrompts_OutputMarked_AndWarnsAboutUnfilledPlaceholders()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("pods.md"), $"""
            # Pods
            ## Restart a pod
            {Fence}bash
            $ kubectl delete pod <pod> -n shop
            pod "web-0" deleted
            $ kubectl get pods -n shop
            NAME    READY   STATUS
            {Fence}
            """);

        var plan = await CliRun.RunAsync(["runbook", "plan", "pods.md"], dir.Path, Offline);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("  kubectl delete pod \"${VIGIL_PARAM_pod}\" -n shop", plan.Out, StringComparison.Ordinal);
        Assert.Contains("│ pod \"web-0\" deleted", plan.Out, StringComparison.Ordinal);
        Assert.Contains("│ NAME    READY   STATUS", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("$ kubectl", plan.Out, StringComparison.Ordinal);
        Assert.Contains("warning: missing parameter pod", plan.Out, StringComparison.Ordinal);
        Assert.Contains("a run is refused until it has a value", plan.Out, StringComparison.Ordinal);

        // In a runbook for people (not marked executable), a placeholder for the reader is info and the unguarded delete a
        // warning: both are run-time hazards, errors only where the team runs the runbook through Vigil.
        var lint = await CliRun.RunAsync(["runbook", "lint", "pods.md"], dir.Path, Offline);
        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("pods.md:4: info [unresolved-placeholder]", lint.Out, StringComparison.Ordinal);
        Assert.Contains("pods.md:4: warning [destructive-command]", lint.Out, StringComparison.Ordinal);
        Assert.Contains("0 error(s), 1 warning(s), 1 info", lint.Out, StringComparison.Ordinal);
    }
}
