using Vigil.Core.Runbooks;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>
/// The shared GitLab runbook corpus (about 450 real files, read from ../shared, never copied into the project) with
/// default settings: prompt-style blocks give no "$ " commands, and lint stays usable in CI (at most one error per 20 files).
/// </summary>
public class GitlabCorpusLintTests
{
    private static readonly Lazy<List<(string Path, string Text, Runbook Runbook)>> Corpus = new(() =>
    {
        var folder = Path.GetFullPath(Path.Combine(RepoRoot.Find(), "..", "shared", "runbook-corpus", "gitlab-runbooks"));
        Assert.True(Directory.Exists(folder), $"the shared corpus is missing: {folder}");
        return Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f), RunbookParser.Parse(File.ReadAllText(f), f))).ToList();
    });

    [Fact]
    public void No_step_keeps_a_dollar_prompt_and_prompt_style_blocks_are_read_as_such()
    {
        var steps = Corpus.Value.SelectMany(c => c.Runbook.Procedures).SelectMany(p => p.Steps.Concat(p.Rollback)).ToList();

        Assert.True(Corpus.Value.Count > 400, $"{Corpus.Value.Count} files");
        Assert.DoesNotContain(steps.SelectMany(s => s.Code.Split('\n')), l => l.TrimStart() == "$" || l.TrimStart().StartsWith("$ ", StringComparison.Ordinal));
        Assert.True(steps.Count(s => s.Reading == BlockReading.Prompted) >= 100, $"{steps.Count(s => s.Reading == BlockReading.Prompted)} prompt-style steps");
        Assert.True(steps.Sum(s => s.Output.Count) >= 300, $"{steps.Sum(s => s.Output.Count)} output lines");
    }

    [Fact]
    public void Default_lint_has_at_most_one_error_per_twenty_files_and_no_front_matter_parse_warnings()
    {
        var context = new LintContext(new DateOnly(2025, 6, 1), null);
        var findings = Corpus.Value.SelectMany(c => RunbookLinter.Lint(c.Runbook, c.Text, context)).ToList();

        var errors = findings.Where(f => f.Severity == LintSeverity.Error).ToList();
        Assert.True(errors.Count * 20 <= Corpus.Value.Count,
            $"{errors.Count} errors in {Corpus.Value.Count} files: " + string.Join(", ", errors.GroupBy(f => f.Rule).Select(g => $"{g.Key} {g.Count()}")));
        Assert.DoesNotContain(findings, f => f.Rule == "parse" && f.Message.Contains("front matter", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Rule == "unresolved-placeholder" && f.Severity != LintSeverity.Info);
        Assert.Equal(findings.Count, findings.Select(f => f.Fingerprint).Distinct().Count());
    }
}
