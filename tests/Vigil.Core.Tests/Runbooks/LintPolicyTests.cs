using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>The project's lint policy: rule settings by rule and path, foreign front matter, fingerprints, baselines and SARIF.</summary>
public class LintPolicyTests
{
    private const string Fence = "```";
    private static readonly DateOnly Today = new(2025, 6, 1);

    private const string Risky = $"""
        # Cache
        ## Flush
        {Fence}bash
        redis-cli FLUSHALL
        redis-cli ping
        {Fence}
        See [the notes](missing.md).
        """;

    private static IReadOnlyList<LintFinding> Lint(string markdown, RunbooksConfig? runbooks = null, string path = "runbooks/cache.md") =>
        RunbookLinter.Lint(RunbookParser.Parse(markdown, path), markdown,
            new LintContext(Today, null) { Policy = LintPolicy.From(runbooks ?? new RunbooksConfig(), null) });

    private static RunbooksConfig Rules(Dictionary<string, string> rules, params RunbookLintOverrideConfig[] overrides) =>
        new() { Lint = new RunbookLintConfig { Rules = rules, Overrides = overrides } };

    [Fact]
    public void Without_a_policy_every_rule_has_its_own_severity()
    {
        // destructive-command is an error where the team runs the runbook through Vigil, a warning elsewhere.
        Assert.Equal([("destructive-command", LintSeverity.Warning), ("broken-link", LintSeverity.Warning)], Lint(Risky).Select(f => (f.Rule, f.Severity)));
        Assert.Equal([("destructive-command", LintSeverity.Error), ("broken-link", LintSeverity.Warning)],
            Lint(Risky, new RunbooksConfig { Executable = ["runbooks/cache.md"] }).Select(f => (f.Rule, f.Severity)));
    }

    [Fact]
    public void A_rule_can_be_turned_off_or_given_another_severity()
    {
        var findings = Lint(Risky, Rules(new() { ["broken-link"] = "off", ["destructive-command"] = "warning" }));

        Assert.Equal([("destructive-command", LintSeverity.Warning)], findings.Select(f => (f.Rule, f.Severity)));
    }

    [Fact]
    public void Overrides_apply_to_matching_paths_and_later_ones_win()
    {
        var runbooks = Rules(
            new() { ["destructive-command"] = "warning" },
            new RunbookLintOverrideConfig { Paths = ["runbooks/legacy/"], Rules = new Dictionary<string, string> { ["destructive-command"] = "info" } },
            new RunbookLintOverrideConfig { Paths = ["runbooks/legacy/keep-*.md"], Rules = new Dictionary<string, string> { ["destructive-command"] = "error", ["broken-link"] = "off" } });

        LintSeverity?[] Severities(string path) =>
            new[] { "destructive-command", "broken-link" }.Select(r => Lint(Risky, runbooks, path).FirstOrDefault(f => f.Rule == r)?.Severity).ToArray();

        Assert.Equal([LintSeverity.Warning, LintSeverity.Warning], Severities("runbooks/cache.md"));
        Assert.Equal([LintSeverity.Info, LintSeverity.Warning], Severities("runbooks/legacy/cache.md"));
        Assert.Equal([LintSeverity.Error, null], Severities("runbooks/legacy/keep-cache.md"));
    }

    [Fact]
    public void Static_site_front_matter_raises_no_parse_finding()
    {
        var markdown = "---\ntitle: Node not ready\nweight: 20\nbookCollapseSection: true\nlinkTitle: Node\ndraft: false\naliases: [/old]\nsidebar_position: 3\n---\n# Node not ready\n";

        Assert.Empty(Lint(markdown));
        Assert.Empty(RunbookParser.Parse(markdown, "x.md").Diagnostics);
    }

    [Fact]
    public void Other_unknown_front_matter_keys_warn_until_the_config_ignores_them()
    {
        var markdown = "---\nteam_slack: '#ops'\nownr: x\n---\n# Node\n";

        var warned = Lint(markdown);
        Assert.Equal([("parse", 2), ("parse", 3)], warned.Select(f => (f.Rule, f.Line)));
        Assert.Contains("did you mean `owner`?", warned[1].Message, StringComparison.Ordinal);
        Assert.Contains("ignore_front_matter_keys", warned[0].Fix, StringComparison.Ordinal);

        var ignored = Lint(markdown, new RunbooksConfig { Lint = new RunbookLintConfig { IgnoreFrontMatterKeys = ["team_slack"] } });
        Assert.Equal([("parse", 3)], ignored.Select(f => (f.Rule, f.Line)));
    }

    [Fact]
    public void Vigil_front_matter_marks_a_runbook_executable_and_anything_else_there_is_a_parse_finding()
    {
        Assert.True(RunbookParser.Parse("---\nvigil: executable\n---\n", "x.md").Metadata.Executable);
        var odd = RunbookParser.Parse("---\nvigil: sometimes\n---\n", "x.md");
        Assert.False(odd.Metadata.Executable);
        Assert.Contains(odd.Diagnostics, d => d.Line == 2 && d.Message.Contains("vigil: executable", StringComparison.Ordinal));
    }

    [Fact]
    public void Fingerprints_survive_line_moves_and_differ_between_findings()
    {
        var before = Lint(Risky);
        var moved = Lint("Intro paragraph.\n\nAnother one,\nover two lines.\n\n" + Risky);

        Assert.Equal(before.Select(f => f.Line + 5), moved.Select(f => f.Line));
        Assert.Equal(before.Select(f => f.Fingerprint), moved.Select(f => f.Fingerprint));
        Assert.All(before, f => Assert.Matches("^[0-9a-f]{32}$", f.Fingerprint));
        Assert.Equal(before.Count, before.Select(f => f.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void Equal_findings_in_one_section_get_different_fingerprints()
    {
        var markdown = $"# A\n## B\n{Fence}bash\nrm -rf /tmp/a\n{Fence}\n{Fence}bash\nrm -rf /tmp/a\n{Fence}\n";

        var findings = Lint(markdown).Where(f => f.Rule == "destructive-command").ToList();

        Assert.Equal(2, findings.Count);
        Assert.NotEqual(findings[0].Fingerprint, findings[1].Fingerprint);
    }

    [Fact]
    public void The_same_text_under_another_heading_or_in_another_file_is_another_finding()
    {
        var a = Lint(Risky).Single(f => f.Rule == "destructive-command").Fingerprint;
        var renamed = Lint(Risky.Replace("## Flush", "## Wipe", StringComparison.Ordinal)).Single(f => f.Rule == "destructive-command").Fingerprint;
        var elsewhere = Lint(Risky, path: "runbooks/other.md").Single(f => f.Rule == "destructive-command").Fingerprint;

        Assert.NotEqual(a, renamed);
        Assert.NotEqual(a, elsewhere);
    }

    [Fact]
    public void A_baseline_hides_the_findings_it_holds_and_reports_a_new_one_even_after_lines_moved()
    {
        var baseline = LintBaseline.Read(LintBaseline.Write(Lint(Risky)), ".vigil-lint-baseline.json", out var error);
        Assert.Null(error);
        Assert.Equal(2, baseline!.Count);

        // Lines moved, and a new destructive step appeared.
        var changed = "New intro.\n\n" + Risky + $"\n## Drop\n{Fence}bash\npsql -c 'DROP TABLE sessions'\ncurl -f http://localhost/health\n{Fence}\n";
        var (fresh, known) = baseline.Filter(Lint(changed));

        Assert.Equal(2, known);
        var f = Assert.Single(fresh);
        Assert.Equal(("destructive-command", 12), (f.Rule, f.Line)); // 2 lines of intro + 7 of Risky + heading + fence
        Assert.Contains("DROP", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("{\"findings\": []}", "is not a vigil lint baseline")]
    [InlineData("{\"vigil_lint_baseline\": 2, \"findings\": []}", "version 2")]
    [InlineData("{\"vigil_lint_baseline\": 1, \"findings\": [{\"rule\": \"x\"}]}", "finding 1 has no \"fingerprint\"")]
    public void A_broken_baseline_file_is_a_clear_error(string text, string expected)
    {
        Assert.Null(LintBaseline.Read(text, "base.json", out var error));
        Assert.Contains("base.json", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("--write-baseline", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_output_validates_against_the_sarif_2_1_0_schema()
    {
        var markdown = "---\nvigil: executable\nownr: x\n---\n" + Risky + $"\n## Pods\n{Fence}bash\nkubectl logs <pod>\n{Fence}\n{Fence}console\nNAME   READY\nweb    1/1\n{Fence}\n";
        var findings = Lint(markdown, path: "runbooks/cache dir/ünïcode.md");
        Assert.Contains(findings, f => f.Severity == LintSeverity.Info);
        Assert.Contains(findings, f => f.Severity == LintSeverity.Error);
        Assert.Contains(findings, f => f.Severity == LintSeverity.Warning);

        var sarif = LintSarif.Write(findings, RunbookLinter.Rules, "0.1.0", f => f);

        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Runbooks", "Sarif", "sarif-schema-2.1.0.json")));
        var result = schema.Evaluate(JsonDocument.Parse(sarif).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => !d.IsValid).Select(d => $"{d.InstanceLocation} {d.EvaluationPath}: {string.Join("; ", d.Errors?.Values.ToList() ?? [])}")));

        var run = JsonNode.Parse(sarif)!["runs"]![0]!;
        Assert.Equal(RunbookLinter.Rules.Count, run["tool"]!["driver"]!["rules"]!.AsArray().Count);
        var results = run["results"]!.AsArray();
        Assert.Equal(findings.Count, results.Count);
        Assert.Equal(findings.Select(f => f.Fingerprint), results.Select(r => r!["partialFingerprints"]!["vigil/v1"]!.GetValue<string>()));
        Assert.Equal(findings.Select(f => f.Severity switch { LintSeverity.Error => "error", LintSeverity.Info => "note", _ => "warning" }),
            results.Select(r => r!["level"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal("runbooks/cache%20dir/%C3%BCn%C3%AFcode.md", r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>()));
    }

    [Fact]
    public void The_schema_fixture_rejects_a_log_that_breaks_it()
    {
        // The validator is real: a result with a level SARIF does not know fails.
        var sarif = LintSarif.Write(Lint(Risky), RunbookLinter.Rules, "0.1.0", f => f).Replace("\"level\": \"warning\"", "\"level\": \"loud\"", StringComparison.Ordinal);
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Runbooks", "Sarif", "sarif-schema-2.1.0.json")));

        Assert.False(schema.Evaluate(JsonDocument.Parse(sarif).RootElement).IsValid);
    }
}
