using System.Diagnostics;
using System.Globalization;
using Vigil.Core.Runbooks;

namespace Vigil.Bench;

/// <summary>
/// How long linting a runbook corpus takes (default: the shared gitlab corpus, ../shared/runbook-corpus/gitlab-runbooks
/// beside the repository): <c>vigil runbook lint FOLDER</c> end to end as a child process (start-up included, the
/// figure the ≤ 3 s target is about), and parse + lint in process. With <c>--shfmt</c> it also times the alternative
/// the hazard reading was chosen against: one <c>shfmt --to-json</c> process per step, and how many steps it cannot
/// parse at all. Each round also times what <c>vigil runbook lint</c> adds on top: writing, reading and filtering by a
/// baseline, and writing SARIF.
/// </summary>
internal static class LintBench
{
    public static async Task<int> RunAsync(string? corpus, int rounds, bool shfmt)
    {
        corpus ??= DefaultCorpus();
        if (corpus is null || !Directory.Exists(corpus))
        {
            Console.Error.WriteLine($"lint bench: corpus folder not found ({corpus ?? "../shared/runbook-corpus/gitlab-runbooks"}); pass --corpus PATH");
            return 2;
        }

        var files = Directory.EnumerateFiles(corpus, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var texts = files.Select(File.ReadAllText).ToList();
        Console.WriteLine($"lint bench: {files.Count} files in {corpus}, {rounds} rounds (round 1 is warm-up), {Environment.ProcessorCount} cores");
        var vigil = Environment.GetEnvironmentVariable("VIGIL_BENCH_VIGIL") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "vigil.dll");
        for (var round = 1; round <= rounds; round++)
        {
            var cli = Stopwatch.StartNew();
            var (exit, output) = await RunAsync("dotnet", [vigil, "runbook", "lint", corpus, "-o", "json"], Path.GetTempPath());
            cli.Stop();
            if (exit is not (0 or 1))
            {
                Console.Error.WriteLine($"vigil runbook lint exited {exit}: {output[..Math.Min(500, output.Length)]}");
                return 1;
            }

            var inProcess = Stopwatch.StartNew();
            var found = new List<LintFinding>();
            var steps = 0;
            var commands = 0;
            var context = new LintContext(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), null);
            for (var i = 0; i < files.Count; i++)
            {
                var runbook = RunbookParser.Parse(texts[i], files[i]);
                found.AddRange(RunbookLinter.Lint(runbook, texts[i], context));
                foreach (var step in runbook.Procedures.SelectMany(p => p.Steps.Concat(p.Rollback)))
                {
                    steps++;
                    commands += RunbookHazards.Commands(step.Code, step.Commands).Count;
                }
            }

            inProcess.Stop();
            var extra = Stopwatch.StartNew();
            var baseline = LintBaseline.Read(LintBaseline.Write(found.Take(found.Count / 2)), "bench.json", out _)!;
            var (fresh, _) = baseline.Filter(found);
            var sarif = LintSarif.Write(fresh, RunbookLinter.Rules, "bench", f => f);
            extra.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: vigil runbook lint {cli.Elapsed.TotalSeconds:0.00} s (target <= 3 s); in-process parse+lint+classify {inProcess.Elapsed.TotalMilliseconds:0} ms for {steps} steps, {commands} commands, {found.Count} findings; baseline write+read+filter and SARIF {extra.Elapsed.TotalMilliseconds:0} ms ({sarif.Length / 1024} KiB){(round == 1 ? "  [warm-up]" : "")}"));
        }

        if (shfmt)
        {
            await ShfmtAsync(files, texts);
        }

        return 0;
    }

    // The alternative: every step through `shfmt --to-json`, one process each (shfmt reads one program per run).
    private static async Task ShfmtAsync(List<string> files, List<string> texts)
    {
        var codes = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            codes.AddRange(RunbookParser.Parse(texts[i], files[i]).Procedures.SelectMany(p => p.Steps.Concat(p.Rollback)).Select(s => s.Code));
        }

        var failed = 0;
        var timer = Stopwatch.StartNew();
        try
        {
            foreach (var code in codes)
            {
                var (exit, _) = await RunAsync("shfmt", ["--to-json"], Path.GetTempPath(), code);
                failed += exit == 0 ? 0 : 1;
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.WriteLine($"shfmt: not runnable here ({ex.Message}); the in-project reader needs no tool");
            return;
        }

        timer.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shfmt --to-json: {codes.Count} steps in {timer.Elapsed.TotalSeconds:0.00} s ({timer.Elapsed.TotalMilliseconds / Math.Max(1, codes.Count):0.0} ms/step), {failed} steps it cannot parse ({100.0 * failed / Math.Max(1, codes.Count):0.0} %)"));
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, string directory, string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = directory,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? DefaultCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "runbook-corpus", "gitlab-runbooks"));
            }
        }

        return null;
    }
}
