using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.Bench;

/// <summary>
/// Start-up with N checks of stored state: runs <c>vigil serve</c> once so every check has a status
/// row and an hour of history, stops it, then restarts it and times process start → listening and
/// process start → the first probe arriving at the loopback target.
/// </summary>
internal static class StartupBench
{
    public static async Task<int> RunAsync(int checks, int restarts)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-bench-startup-").FullName;
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            await using var target = builder.Build();
            long firstHit = 0;
            target.MapGet("/health", () =>
            {
                Interlocked.CompareExchange(ref firstHit, Stopwatch.GetTimestamp(), 0);
                return Results.Text("ok");
            });
            await target.StartAsync();
            var targetUrl = target.Urls.First();

            var config = Path.Combine(dir, "vigil.yaml");
            var data = Path.Combine(dir, "data");
            await File.WriteAllTextAsync(config, ChecksBench.HttpChecksConfig(checks, targetUrl, TimeSpan.FromSeconds(5), reuse: false));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"start-up: {checks} HTTP checks every 5 s, restarted with their stored state (status rows, this hour's history)");

            // First run: create the state. Statuses are flushed every 15 s, the hour's history every 60 s; wait for both.
            await using (await VigilChild.StartAsync(config, data))
            {
                await Task.Delay(TimeSpan.FromSeconds(65));
            }

            for (var i = 0; i < restarts; i++)
            {
                Interlocked.Exchange(ref firstHit, 0);
                var started = Stopwatch.GetTimestamp();
                await using var vigil = await VigilChild.StartAsync(config, data);
                var listening = Stopwatch.GetElapsedTime(started);
                var deadline = Stopwatch.StartNew();
                while (Interlocked.Read(ref firstHit) == 0 && deadline.Elapsed < TimeSpan.FromMinutes(5))
                {
                    await Task.Delay(5);
                }

                var first = Stopwatch.GetElapsedTime(started, Interlocked.Read(ref firstHit));
                Console.WriteLine($"  restart {i + 1}: listening after {listening.TotalMilliseconds:0} ms, first probe after {first.TotalMilliseconds:0} ms (process start → request at the target)");
                await Task.Delay(TimeSpan.FromSeconds(20));
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
