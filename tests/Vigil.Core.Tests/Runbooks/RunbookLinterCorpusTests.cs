using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookLinterCorpusTests
{
    private const string Bizra = "bizra-operations-runbook.md";
    private const string Blux = "blux-operations.md";
    private const string Grahmos = "grahmos-operations-runbook.md";
    private const string Oneiric = "oneiric-runbooks.md";
    private const string Index = "operations-index-template.md";

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Runbooks", "Corpus", file);

    private static IReadOnlyList<LintFinding> Lint(string file, bool executable = false)
    {
        var path = PathOf(file);
        var text = File.ReadAllText(path);
        var policy = LintPolicy.From(new RunbooksConfig { Executable = executable ? ["*.md"] : [] }, Path.GetDirectoryName(path));
        return RunbookLinter.Lint(RunbookParser.Parse(text, path), text, new LintContext(new DateOnly(2025, 6, 1), null) { Policy = policy });
    }

    [Theory]
    [InlineData(Grahmos, 305, "redis-cli FLUSHALL", "docker-compose exec redis redis-cli FLUSHALL")]
    [InlineData(Grahmos, 613, "rm -rf", "rm -rf /data/indexes/current/*")]
    [InlineData(Bizra, 330, "kubectl delete", "kubectl delete pod <pod-name> -n bizra-system")]
    [InlineData(Grahmos, 90, "docker-compose down", "docker-compose down")]
    public void Corpus_destructive_commands_are_flagged_on_their_exact_lines_as_errors_where_vigil_runs_them(string file, int line, string command, string text)
    {
        var f = Assert.Single(Lint(file, executable: true), f => f.Rule == "destructive-command" && f.Line == line);
        var elsewhere = Assert.Single(Lint(file), f => f.Rule == "destructive-command" && f.Line == line);

        Assert.Equal(PathOf(file), f.File);
        Assert.Equal(LintSeverity.Error, f.Severity);
        Assert.Equal(LintSeverity.Warning, elsewhere.Severity);
        Assert.Contains($"`{command}`", f.Message);
        Assert.Contains($"`{text}`", f.Message);
    }

    [Theory]
    [InlineData(Grahmos, new[] { 90, 260, 305, 394, 433, 613 })]
    [InlineData(Bizra, new[] { 177, 330, 390, 425, 563 })]
    [InlineData(Blux, new int[0])]
    [InlineData(Oneiric, new int[0])]
    [InlineData(Index, new int[0])]
    public void Corpus_destructive_findings_are_exactly_the_unguarded_hazards(string file, int[] lines)
    {
        // Not flagged: `--force-recreate` and `--force-renewal` (grahmos 104, 116, 296, 415) destroy nothing, and the
        // bizra "Rollback Procedure" is a procedure of its own, not a rollback of another. A command continued over
        // lines is reported where it starts (bizra 390: `kubectl exec … -- \` then `neo4j-admin restore … --force`).
        Assert.Equal(lines, Lint(file).Where(f => f.Rule == "destructive-command").Select(f => f.Line));
    }

    [Theory]
    [InlineData(Grahmos, "backup-id@253", "service-name@345")]
    [InlineData(Bizra, "pod-name@324", "new-password@438", "new-key@444")]
    public void Corpus_placeholders_are_unresolved_at_their_first_use(string file, params string[] expected)
    {
        var found = Lint(file).Where(f => f.Rule == "unresolved-placeholder")
            .Select(f => f.Message.Split('`')[1].Trim('<', '>') + "@" + f.Line);

        Assert.Equal(expected, found);
    }

    [Fact]
    public void Corpus_variables_are_warnings_and_command_substitutions_are_not()
    {
        var variables = Lint(Grahmos).Where(f => f.Rule == "undeclared-variable").ToList();

        Assert.All(variables, f => Assert.Equal(LintSeverity.Warning, f.Severity));
        Assert.Equal(["$JWT@513", "$VER@566", "$health_check_failed@580", "$PREV_VER@581", "$TOKEN@680", "$DPOP_PROOF@681"],
            variables.Select(f => f.Message.Split('`')[1] + "@" + f.Line));
    }

    [Theory]
    [InlineData(Bizra)]
    [InlineData(Blux)]
    [InlineData(Grahmos)]
    [InlineData(Oneiric)]
    [InlineData(Index)]
    public void Corpus_has_no_plaintext_secrets_and_no_parse_problems(string file)
    {
        // The corpus only refers to secrets: NEO4J_PASSWORD='<new-password>', "Authorization: Bearer $JWT", ${pod#pod/}.
        var findings = Lint(file);

        Assert.DoesNotContain(findings, f => f.Rule is "plaintext-secret" or "parse");
        Assert.All(findings, f => Assert.Equal(PathOf(file), f.File));
        var lineCount = File.ReadAllLines(PathOf(file)).Length;
        Assert.All(findings, f => Assert.InRange(f.Line, 1, lineCount));
    }

    [Fact]
    public void Corpus_relative_links_to_missing_files_are_broken_and_anchors_are_not_checked()
    {
        Assert.Equal([60], Lint(Blux).Where(f => f.Rule == "broken-link").Select(f => f.Line));
        Assert.Equal([11, 18, 26, 35, 42, 49, 165, 166, 167], Lint(Oneiric).Where(f => f.Rule == "broken-link").Select(f => f.Line));
        Assert.DoesNotContain(Lint(Bizra), f => f.Rule == "broken-link"); // its table of contents is all #anchors
    }

    [Fact]
    public void Corpus_changes_are_judged_verified_by_later_checks_in_the_same_block_or_a_later_one()
    {
        var grahmos = Lint(Grahmos).Where(f => f.Rule == "mutation-without-verification").Select(f => f.Line).ToList();
        var bizra = Lint(Bizra).Where(f => f.Rule == "mutation-without-verification").Select(f => f.Line).ToList();

        Assert.Contains(305, grahmos);                          // FLUSHALL, then nothing
        Assert.Contains(613, grahmos);                          // chaos drill: rm -rf, rebuild, never checked
        Assert.DoesNotContain(grahmos, l => l is >= 87 and <= 94);   // restart all, then ./scripts/health-check.sh
        Assert.DoesNotContain(grahmos, l => l is >= 98 and <= 108);  // "# 3. Verify changes applied" + grep
        Assert.DoesNotContain(grahmos, l => l is >= 335 and <= 349); // restart, then curl -f …/health
        Assert.DoesNotContain(bizra, l => l is >= 130 and <= 145);   // kubectl set image, then rollout status
        Assert.Contains(411, bizra);                            // rollout restart with no status check
    }
}
