using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Vigil.Server.Api;

namespace Vigil.Bench;

/// <summary>
/// N HTTP checks against a local target, with the real <c>vigil serve</c> as a child process so its
/// CPU and memory are measured apart from the target's. Loopback only; ends by itself.
/// </summary>
internal static class ChecksBench
{
    public static async Task<int> RunAsync(int checks, TimeSpan every, TimeSpan duration, bool reuse = false)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-bench-checks-").FullName;
        VigilChild? vigil = null;
        try
        {
            // The target: a minimal Kestrel app on loopback answering 200 "ok".
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            await using var target = builder.Build();
            target.MapGet("/health", () => Results.Text("ok"));
            await target.StartAsync();
            var targetUrl = target.Urls.First();

            await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), HttpChecksConfig(checks, targetUrl, every, reuse));
            vigil = await VigilChild.StartAsync(Path.Combine(dir, "vigil.yaml"), Path.Combine(dir, "data"));
            var address = vigil.Address;
            var token = vigil.AdminToken;
            using var api = new HttpClient { BaseAddress = new Uri(address) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"checks: {checks} HTTP checks every {every.TotalSeconds:0} s ({(reuse ? "pooled connections" : "fresh connection per probe")}) against {targetUrl}; measuring {duration.TotalSeconds:0} s after a one-interval warm-up");
            await Task.Delay(every + TimeSpan.FromSeconds(2));

            var start = await Snapshot(api, vigil);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                var now = await Snapshot(api, vigil);
                Console.WriteLine($"  t+{clock.Elapsed.TotalSeconds:0}s: {(now.Probes - start.Probes) / clock.Elapsed.TotalSeconds:0} probes/s, lag p99 {now.Stats.LagP99Ms:0.0} ms, RSS {now.RssBytes / (1024 * 1024)} MiB");
            }

            var end = await Snapshot(api, vigil);
            var seconds = clock.Elapsed.TotalSeconds;
            var probes = end.Probes - start.Probes;
            var cpu = end.CpuSeconds - start.CpuSeconds;
            var (bytesPerSample, bytesPerRow, rows, samples) = StoredBytes(Path.Combine(dir, "data", "vigil.db"));

            Console.WriteLine($"probes/s achieved:          {probes / seconds:0} (target {checks / every.TotalSeconds:0})");
            Console.WriteLine($"Vigil CPU:                  {cpu / seconds:0.00} cores; {cpu / (probes / 1000.0):0.000} CPU-seconds per 1,000 probes");
            Console.WriteLine($"peak RSS (VmHWM):           {end.PeakRssBytes / (1024 * 1024)} MiB");
            Console.WriteLine($"schedule lag:               p50 {end.Stats.LagP50Ms:0.0} ms, p99 {end.Stats.LagP99Ms:0.0} ms (recent 20,000 runs)");
            Console.WriteLine($"skipped runs:               {end.Stats.Skipped}");
            Console.WriteLine($"store growth during run:    {(end.StoreBytes - start.StoreBytes) / 1024.0 / 1024.0:0.0} MiB (db+wal)");
            Console.WriteLine($"stored history:             {rows} hour rows, {samples} samples, {bytesPerSample:0.00} bytes/sample (raw + minute rollups), {bytesPerRow:0} bytes/row overhead");
            foreach (var interval in new[] { 10, (int)every.TotalSeconds })
            {
                var perDay = (86400.0 / interval * bytesPerSample) + (24 * bytesPerRow);
                var longTerm = 24 * (bytesPerRow + (60 * 6));
                Console.WriteLine($"store per check per day @{interval}s: {perDay / 1024:0.0} KB while raw is kept (48 h), {longTerm / 1024.0:0.0} KB after raw is pruned");
            }

            return 0;
        }
        finally
        {
            if (vigil is not null)
            {
                await vigil.DisposeAsync();
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<Sample> Snapshot(HttpClient api, VigilChild vigil)
    {
        var stats = (await api.GetFromJsonAsync<CheckEngineStatsView>("/api/v1/checks/stats", Vigil.Server.Http.VigilJson.Options))!;
        var proc = vigil.Sample();
        return new Sample(stats, stats.Probes, proc.CpuSeconds, proc.RssBytes, proc.PeakRssBytes, proc.StoreBytes);
    }

    private static (double BytesPerSample, double BytesPerRow, long Rows, long Samples) StoredBytes(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COALESCE(SUM(count),0), COALESCE(SUM(length(raw)),0), COALESCE(SUM(length(minutes)),0), COALESCE(SUM(length(key) + length(reasons) + 40),0) FROM check_history";
        using var r = cmd.ExecuteReader();
        r.Read();
        var rows = r.GetInt64(0);
        var samples = r.GetInt64(1);
        var payload = r.GetInt64(2) + r.GetInt64(3);
        return (samples == 0 ? 0 : (double)payload / samples, rows == 0 ? 0 : (double)r.GetInt64(4) / rows, rows, samples);
    }

    private sealed record Sample(CheckEngineStatsView Stats, long Probes, double CpuSeconds, long RssBytes, long PeakRssBytes, long StoreBytes);

    /// <summary>The bench config: <paramref name="checks"/> HTTP checks against <paramref name="targetUrl"/>, 100 per service.</summary>
    internal static string HttpChecksConfig(int checks, string targetUrl, TimeSpan every, bool reuse)
    {
        var yaml = new StringBuilder("vigil:\n  name: bench\n  environment: dev\nservices:\n");
        const int perService = 100;
        for (var s = 0; s * perService < checks; s++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: svc{s}\n    checks:\n");
            for (var c = s * perService; c < Math.Min(checks, (s + 1) * perService); c++)
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"      - {{ id: c{c}, http: {{ url: \"{targetUrl}/health?c={c}\", expect_status: [200]{(reuse ? ", reuse_connections: true" : "")} }}, every: {(int)every.TotalSeconds}s, timeout: 4s }}\n");
            }
        }

        return yaml.ToString();
    }
}
