using System.Diagnostics;
using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Bench;

/// <summary>
/// Runbook parse and lint over a folder of Markdown (by default the shared GitLab corpus), in process: parsing
/// (prompt-style reading included), linting with a project policy (rule settings, fingerprints), and the
/// baseline filter and SARIF writing that <c>vigil runbook lint</c> adds on top.
/// </summary>
internal static class LintBench
{
    public static int Run(string folder, int rounds)
    {
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"no folder {folder}; pass --corpus PATH");
            return 2;
        }

        var files = Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var policy = LintPolicy.From(new RunbooksConfig
        {
            Executable = ["docs/patroni/**"],
            Lint = new RunbookLintConfig { Rules = new Dictionary<string, string> { ["broken-link"] = "info" }, IgnoreFrontMatterKeys = ["owner_team"] },
        }, folder);
        var context = new LintContext(new DateOnly(2026, 12, 1), TimeSpan.FromDays(90), folder) { Policy = policy };
        Console.WriteLine($"lint bench: {files.Count} files, {files.Sum(f => f.Text.Length) / 1024} KiB from {folder}, {rounds} rounds (round 1 is warm-up), {Environment.ProcessorCount} cores");
        for (var round = 1; round <= rounds; round++)
        {
            var parse = Stopwatch.StartNew();
            var parsed = files.Select(f => (f.Text, Runbook: RunbookParser.Parse(f.Text, Path.GetRelativePath(folder, f.Path)))).ToList();
            parse.Stop();
            var lint = Stopwatch.StartNew();
            var findings = parsed.SelectMany(p => RunbookLinter.Lint(p.Runbook, p.Text, context)).ToList();
            lint.Stop();
            var extra = Stopwatch.StartNew();
            var baseline = LintBaseline.Read(LintBaseline.Write(findings.Take(findings.Count / 2)), "bench.json", out _)!;
            var (fresh, _) = baseline.Filter(findings);
            var sarif = LintSarif.Write(fresh, RunbookLinter.Rules, "bench", f => f);
            extra.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: parse {parse.Elapsed.TotalMilliseconds:0} ms, lint {lint.Elapsed.TotalMilliseconds:0} ms ({findings.Count} findings), baseline write+read+filter and SARIF {extra.Elapsed.TotalMilliseconds:0} ms ({sarif.Length / 1024} KiB), total {(parse.Elapsed + lint.Elapsed + extra.Elapsed).TotalMilliseconds:0} ms{(round == 1 ? "  [warm-up]" : "")}"));
        }

        return 0;
    }
}
