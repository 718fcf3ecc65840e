using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;
using Vigil.Probes.Processes;
using Vigil.Server.Config;
using Vigil.Server.Runbooks;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// Per-step overhead of the runbook engine: a runbook of N <c>true</c> steps run by the real
/// <see cref="RunbookRuntime"/> (plan, freeze check, process, output capture, a store write with
/// audit per step, live events) against N bare spawns of the same bash command line.
/// </summary>
internal static class RunbookBench
{
    public static async Task<int> RunAsync(int steps, int rounds)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-runbook-bench-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "runbooks"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "runbooks", "steps.md"),
                "# Steps\n\n" + string.Concat(Enumerable.Range(1, steps).Select(i => $"```bash {{name=s{i}}}\ntrue\n```\n\n")));
            var time = TimeProvider.System;
            await using var opened = await BenchStore.OpenAsync(dir.FullName, "vigil: { name: runbook-bench, environment: dev }\nrunbooks: { paths: [runbooks/] }\n", time);
            if (opened is null)
            {
                return 2;
            }

            var (store, config) = (opened.Store, opened.Config);
            var runtime = new RunbookRuntime(store, config, time, NullLogger<RunbookRuntime>.Instance);
            await runtime.StartAsync(CancellationToken.None);
            var runner = new ProcessRunner(time);

            Console.WriteLine($"runbook bench: {steps} steps of `true`, {rounds} rounds (round 1 is warm-up), {Environment.ProcessorCount} cores");
            for (var round = 1; round <= rounds; round++)
            {
                var bare = Stopwatch.StartNew();
                for (var i = 0; i < steps; i++)
                {
                    var result = await runner.RunAsync(new ProcessSpec("bash", ["-o", "pipefail", "-e", "-c", "exec 2>&1; true"], null, dir.FullName, TimeSpan.FromMinutes(1)));
                    if (!result.Succeeded)
                    {
                        Console.Error.WriteLine($"bare spawn failed: {result.Outcome} {result.Error}");
                        return 1;
                    }
                }

                bare.Stop();
                var entry = runtime.Catalog().Find("steps")!;
                var plan = RunbookPlanner.Plan(entry.Runbook, null, new Dictionary<string, string>(), runtime.PlanOptions());
                var request = new RunRequest(entry.Id, entry.Path, plan.Procedure!.Slug, null, "dev", plan.Shown, "bench", true, [], false, null, null, null);
                var engine = Stopwatch.StartNew();
                var created = await runtime.CreateAsync(new RunStart(entry, plan, request, "bench"), CancellationToken.None);
                var ended = await runtime.WaitForEndAsync(created.Value?.Id ?? throw new InvalidOperationException(created.Refusal?.Message), CancellationToken.None);
                engine.Stop();
                if (ended?.Status != RunStatus.Succeeded)
                {
                    Console.Error.WriteLine($"run ended {ended?.Status}: {ended?.Error}");
                    return 1;
                }

                var perBare = bare.Elapsed.TotalMilliseconds / steps;
                var perStep = engine.Elapsed.TotalMilliseconds / steps;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: bare spawn {perBare:0.00} ms/step, runbook engine {perStep:0.00} ms/step, overhead {perStep - perBare:0.00} ms/step (target < 5 ms){(round == 1 ? "  [warm-up]" : "")}"));
            }

            await runtime.StopAsync(CancellationToken.None);
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
