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
    /// <param name="telemetry">Serve <c>/metrics</c> (scraped every 15 s, as Prometheus would) and evaluate one
    /// availability SLO per service of 100 checks; off: <c>telemetry.metrics.enabled: false</c> and no SLOs. The issue
    /// 15 overhead target compares the two.</param>
    public static async Task<int> RunAsync(int checks, TimeSpan every, TimeSpan duration, bool reuse = false, bool telemetry = true)
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

            await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), HttpChecksConfig(checks, targetUrl, every, reuse, telemetry));
            vigil = await VigilChild.StartAsync(Path.Combine(dir, "vigil.yaml"), Path.Combine(dir, "data"));
            var address = vigil.Address;
            var token = vigil.AdminToken;
            using var api = new HttpClient { BaseAddress = new Uri(address) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"checks: {checks} HTTP checks every {every.TotalSeconds:0} s ({(reuse ? "pooled connections" : "fresh connection per probe")}) against {targetUrl}; measuring {duration.TotalSeconds:0} s after a one-interval warm-up");
            Console.WriteLine(telemetry
                ? $"telemetry: /metrics on, scraped every 15 s; {(checks + 99) / 100} SLOs (one per service), evaluated every minute"
                : "telemetry: off (telemetry.metrics.enabled: false, no SLOs)");
            using var scrapeStop = new CancellationTokenSource();
            var scraper = telemetry ? ScrapeAsync(address, scrapeStop.Token) : Task.FromResult(0);
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
            await scrapeStop.CancelAsync();
            var scrapes = await scraper;
            var probes = end.Probes - start.Probes;
            var cpu = end.CpuSeconds - start.CpuSeconds;
            var (bytesPerSample, bytesPerRow, rows, samples) = StoredBytes(Path.Combine(dir, "data", "vigil.db"));

            Console.WriteLine($"probes/s achieved:          {probes / seconds:0} (target {checks / every.TotalSeconds:0})");
            Console.WriteLine($"Vigil CPU:                  {cpu / seconds:0.00} cores; {cpu / (probes / 1000.0):0.000} CPU-seconds per 1,000 probes");
            Console.WriteLine($"peak RSS (VmHWM):           {end.PeakRssBytes / (1024 * 1024)} MiB");
            Console.WriteLine($"schedule lag:               p50 {end.Stats.LagP50Ms:0.0} ms, p99 {end.Stats.LagP99Ms:0.0} ms (recent 20,000 runs)");
            Console.WriteLine($"skipped runs:               {end.Stats.Skipped}");
            if (telemetry)
            {
                Console.WriteLine($"/metrics scrapes:           {scrapes}");
            }

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

    /// <summary>Scrapes <c>/metrics</c> every 15 s until cancelled; returns how many scrapes succeeded.</summary>
    private static async Task<int> ScrapeAsync(string address, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var scrapes = 0;
        try
        {
            while (true)
            {
                using var response = await http.GetAsync("/metrics", ct);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(ct)).Contains("vigil_probes_total", StringComparison.Ordinal))
                {
                    scrapes++;
                }

                await Task.Delay(TimeSpan.FromSeconds(15), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return scrapes;
        }
    }

    /// <summary>The bench config: <paramref name="checks"/> HTTP checks against <paramref name="targetUrl"/>, 100 per service, with an SLO each when <paramref name="telemetry"/> is on.</summary>
    internal static string HttpChecksConfig(int checks, string targetUrl, TimeSpan every, bool reuse, bool telemetry = true)
    {
        var yaml = new StringBuilder("vigil:\n  name: bench\n  environment: dev\n");
        if (!telemetry)
        {
            yaml.Append("telemetry:\n  metrics: { enabled: false }\n");
        }

        yaml.Append("services:\n");
        const int perService = 100;
        for (var s = 0; s * perService < checks; s++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: svc{s}\n");
            if (telemetry)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    slos: [{{ id: svc{s}-up, objective: 99.9%, window: 28d, availability: {{}} }}]\n");
            }

            yaml.Append("    checks:\n");
            for (var c = s * perService; c < Math.Min(checks, (s + 1) * perService); c++)
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"      - {{ id: c{c}, http: {{ url: \"{targetUrl}/health?c={c}\", expect_status: [200]{(reuse ? ", reuse_connections: true" : "")} }}, every: {(int)every.TotalSeconds}s, timeout: 4s }}\n");
            }
        }

        return yaml.ToString();
    }
}
