using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class DrillFrontMatterTests
{
    private static Runbook Parse(string frontMatter) => RunbookParser.Parse($"""
        ---
        service: checkout
        {frontMatter}
        ---
        # Checkout outage

        ## Inject

        ```bash
        echo break
        ```
        """, "runbooks/drill.md");

    [Fact]
    public void Parse_DrillWithChecksAndTimeouts_ReadsThem()
    {
        var r = Parse("drill: { checks: [health, db/replication], detect_within: 90s, recover_within: 10m }");

        Assert.Empty(r.Diagnostics);
        var drill = r.Metadata.Drill!;
        Assert.Equal(["health", "db/replication"], drill.Checks);
        Assert.Equal(TimeSpan.FromSeconds(90), drill.DetectWithin);
        Assert.Equal(TimeSpan.FromMinutes(10), drill.RecoverWithin);
    }

    [Fact]
    public void Parse_NoDrill_IsNotADrill()
    {
        Assert.Null(Parse("owner: platform").Metadata.Drill);
    }

    [Fact]
    public void Parse_BadDrill_GivesDiagnosticsAtTheirLines_AndKeepsWhatReads()
    {
        var r = Parse("""
            drill:
              checks: { health: true }
              detect_within: soon
              recover_witin: 5m
            """);

        var messages = r.Diagnostics.Select(d => (d.Line, d.Message)).ToList();
        Assert.Contains((4, "drill 'checks' must be a list of check ids of the runbook's service, like [health]"), messages);
        Assert.Contains((5, "drill 'detect_within' must be a duration between 1s and 1d, like 5m"), messages);
        Assert.Contains(messages, m => m.Line == 6 && m.Message.StartsWith("unknown drill key 'recover_witin'", StringComparison.Ordinal) && m.Message.Contains("recover_within", StringComparison.Ordinal));
        Assert.NotNull(r.Metadata.Drill);
    }

    [Fact]
    public void Parse_DrillNotAMapping_SaysWhatToWrite()
    {
        var r = Parse("drill: yes");

        Assert.Contains(r.Diagnostics, d => d.Message.StartsWith("front matter 'drill' must be a mapping", StringComparison.Ordinal));
        Assert.Null(r.Metadata.Drill);
    }

    [Theory]
    [InlineData("drill: { checks: [health] }", 0)]
    [InlineData("owner: payments", 2)]
    public void Lint_DrillInjectAndRecover_NeedNoVerificationStep_ForTheChecksVerifyThem(string frontMatter, int expected)
    {
        var markdown = $"""
            ---
            service: checkout
            {frontMatter}
            ---
            # Drill

            ## Inject

            ```bash
            systemctl stop checkout
            ```

            ## Recover

            ```bash
            systemctl start checkout
            ```

            ## Verify

            ```bash
            curl -fsS http://127.0.0.1:8083/health
            ```
            """;

        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, "runbooks/drill.md"), markdown, new LintContext(new DateOnly(2026, 12, 6), null));

        Assert.Equal(expected, findings.Count(f => f.Rule == "mutation-without-verification"));
    }
}
