using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// The public status page at scale: <c>vigil serve</c> (a child process) with S public services × C checks
/// and D days of hourly rollups for every check, plus open and recent incidents with public updates.
/// Reports the time to the first snapshot (reading D days of rollups), the rebuild after a change,
/// <c>/status</c> latency and size over sequential keep-alive requests, and wrk with N connections
/// (requests/s, errors, RSS before and after).
/// </summary>
internal static partial class StatusPageBench
{
    public sealed record Options(int Services, int ChecksPerService, int Days, int Requests, int Connections, TimeSpan WrkDuration, string? Folder);

    public static async Task<int> RunAsync(Options o)
    {
        var keep = o.Folder is not null;
        var dir = o.Folder ?? Directory.CreateTempSubdirectory("vigil-bench-status-").FullName;
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "vigil.yaml");
        var data = Path.Combine(dir, "data");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version} (shared with other builds)");
            Console.WriteLine($"status page: {o.Services} public services × {o.ChecksPerService} checks = {o.Services * o.ChecksPerService} checks, {o.Days} days of hourly rollups each");
            await File.WriteAllTextAsync(config, Config(o));
            var db = Path.Combine(data, "vigil.db");
            if (!File.Exists(db))
            {
                await SeedHistoryAsync(db, o);
            }
            else
            {
                Console.WriteLine($"  reusing {db} ({new FileInfo(db).Length / 1e9:0.0} GB)");
            }

            var started = Stopwatch.GetTimestamp();
            await using var vigil = await VigilChild.StartAsync(config, data);
            var listening = Stopwatch.GetElapsedTime(started);
            using var http = new HttpClient { BaseAddress = new Uri(vigil.Address), Timeout = TimeSpan.FromMinutes(5) };
            while ((await http.GetAsync("/status")).StatusCode != System.Net.HttpStatusCode.OK)
            {
                await Task.Delay(50);
            }

            var firstSnapshot = Stopwatch.GetElapsedTime(started);
            Console.WriteLine($"  start: listening after {listening.TotalSeconds:0.0} s, first snapshot (all {o.Days} days read) after {firstSnapshot.TotalSeconds:0.0} s");

            await SeedIncidentsAsync(vigil, http, o.Services);
            await MeasureRebuildAsync(vigil, http);
            await MeasureLatencyAsync(http, o.Requests);
            await File.WriteAllBytesAsync(Path.Combine(dir, "status.html"), await http.GetByteArrayAsync("/status"));
            await RunWrkAsync(vigil, o);
            return 0;
        }
        finally
        {
            if (!keep)
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

    private static string Config(Options o)
    {
        var yaml = new StringBuilder("vigil:\n  name: bench\n  environment: dev\nstatus_page:\n  title: Bench status\n  message: A benchmark of the public status page.\n");
        yaml.Append("maintenance:\n  - { id: weekly, cron: \"0 2 * * SUN\", duration: 2h, timezone: UTC, services: [\"*\"], description: Weekly patching }\nservices:\n");
        for (var s = 0; s < o.Services; s++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: svc{s}\n    name: Service {s}\n    description: Benchmark service number {s}\n    public: true\n    checks:\n");
            for (var c = 0; c < o.ChecksPerService; c++)
            {
                // Heartbeats: real checks with stored history, but no probe load competing with the measurement.
                yaml.Append(CultureInfo.InvariantCulture, $"      - {{ id: c{c}, heartbeat: {{ period: 1d, grace: 1h }} }}\n");
            }
        }

        return yaml.ToString();
    }

    /// <summary>Writes D days × 24 hours of rollup rows per check straight into a migrated store, with realistic minute blobs.</summary>
    private static async Task SeedHistoryAsync(string db, Options o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        await using (var store = new SqliteVigilStore(db, TimeProvider.System))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var sw = Stopwatch.StartNew();
        var hours = o.Days * 24;
        var start = (TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 3_600_000 - hours) * 3_600_000;
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; CREATE TEMP TABLE k (key TEXT NOT NULL);");
        await using (var tx = connection.BeginTransaction())
        {
            for (var s = 0; s < o.Services; s++)
            {
                for (var c = 0; c < o.ChecksPerService; c++)
                {
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = "INSERT INTO k VALUES ($k)";
                    insert.Parameters.AddWithValue("$k", $"svc{s}/c{c}");
                    await insert.ExecuteNonQueryAsync();
                }
            }

            // Hour by hour (rows arrive in that order in production too): 720 results per hour, now and then some failures.
            for (var h = 0; h < hours; h++)
            {
                await using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO check_history (key, hour, count, failures, reasons, lat_min, lat_avg, lat_max, lat_p95, minutes, raw)
                    SELECT key, $hour, 720, CASE WHEN abs(random()) % 200 = 0 THEN 1 + abs(random()) % 60 ELSE 0 END, '', 3, 12, 80, 30, randomblob(360), NULL FROM k
                    """;
                cmd.Parameters.AddWithValue("$hour", start + (h * 3_600_000L));
                await cmd.ExecuteNonQueryAsync();
                if (h % (24 * 10) == 0)
                {
                    Console.Write($"\r  seeding history: day {h / 24} of {o.Days}");
                }
            }

            await tx.CommitAsync();
        }

        await Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Console.WriteLine($"\r  seeded {(long)hours * o.Services * o.ChecksPerService:N0} rollup rows in {sw.Elapsed.TotalSeconds:0} s ({new FileInfo(db).Length / 1e9:0.0} GB)");
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>20 open incidents and 30 resolved ones on public services, each with two public updates.</summary>
    private static async Task SeedIncidentsAsync(VigilChild vigil, HttpClient anonymous, int services)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(vigil.Address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vigil.AdminToken);
        // A reused folder already holds the incidents of earlier runs: wait for this run's on top of them.
        int Count(JsonDocument d, string name) => d.RootElement.GetProperty(name).GetArrayLength();
        using var start = JsonDocument.Parse(await anonymous.GetStringAsync("/status.json"));
        var (open0, recent0) = (Count(start, "open_incidents"), Count(start, "recent_incidents"));
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = $"bench incident {i}", severity = i % 2 == 0 ? "P1" : "P2", service = $"svc{i % services}" });
            created.EnsureSuccessStatusCode();
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("incident").GetProperty("id").GetInt64();
            foreach (var text in new[] { "We are investigating elevated error rates for some requests.", "The cause is found; a fix is rolling out to every region now." })
            {
                (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text })).EnsureSuccessStatusCode();
            }

            if (i >= 20)
            {
                (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { force = true })).EnsureSuccessStatusCode();
            }
        }

        while (true)
        {
            using var json = JsonDocument.Parse(await anonymous.GetStringAsync("/status.json"));
            if (Count(json, "open_incidents") == open0 + 20 && Count(json, "recent_incidents") == Math.Min(50, recent0 + 30))
            {
                break;
            }

            await Task.Delay(20);
        }

        Console.WriteLine($"  50 incidents (20 open, 30 resolved) with 2 public updates each, through the API, shown after {sw.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A public update → the new ETag on /status: the rebuild path (commit wake-up, read, render), at most the 250 ms commit gap more.</summary>
    private static async Task MeasureRebuildAsync(VigilChild vigil, HttpClient anonymous)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(vigil.Address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vigil.AdminToken);
        using var page = JsonDocument.Parse(await anonymous.GetStringAsync("/status.json"));
        var firstOpen = page.RootElement.GetProperty("open_incidents")[0].GetProperty("id").GetInt64();
        var times = new List<double>();
        for (var round = 0; round < 10; round++)
        {
            var before = (await anonymous.GetAsync("/status")).Headers.ETag;
            await Task.Delay(300);
            var sw = Stopwatch.StartNew();
            (await admin.PostAsJsonAsync($"/api/v1/incidents/{firstOpen}/public-updates", new { text = $"Update {round}." })).EnsureSuccessStatusCode();
            while ((await anonymous.GetAsync("/status")).Headers.ETag == before)
            {
                await Task.Delay(1);
            }

            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"  change → new page: median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms over 10 public updates (API commit + wake-up + rebuild)");
    }

    private static async Task MeasureLatencyAsync(HttpClient http, int requests)
    {
        var times = new double[requests];
        var bytes = 0L;
        for (var i = -100; i < requests; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await http.GetAsync("/status", HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (i >= 0)
            {
                times[i] = sw.Elapsed.TotalMilliseconds;
                bytes = body.Length;
            }
        }

        Array.Sort(times);
        double P(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
        Console.WriteLine($"  GET /status × {requests} sequential (keep-alive, measured at the client, so server time plus loopback): "
            + $"p50 {P(0.5):0.00} ms, p99 {P(0.99):0.00} ms, max {times[^1]:0.00} ms; HTML {bytes / 1024.0:0.0} KB");
    }

    private static async Task RunWrkAsync(VigilChild vigil, Options o)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine("  wrk: /usr/bin/wrk not installed, skipped");
            return;
        }

        var url = vigil.Address.TrimEnd('/') + "/status";
        await Wrk(url, o.Connections, TimeSpan.FromSeconds(5), gzip: false);
        foreach (var gzip in new[] { false, true })
        {
            await RunWrkOnceAsync(vigil, o, url, gzip);
        }
    }

    private static async Task RunWrkOnceAsync(VigilChild vigil, Options o, string url, bool gzip)
    {
        var before = vigil.Sample();
        var output = await Wrk(url, o.Connections, o.WrkDuration, gzip);
        var after = vigil.Sample();
        var rps = RequestsPerSecond().Match(output).Groups[1].Value;
        var non2xx = Non2xx().Match(output) is { Success: true } m ? m.Groups[1].Value : "0";
        var socket = SocketErrors().Match(output) is { Success: true } e ? e.Value : "no socket errors";
        var latency = LatencyLine().Match(output).Value.Trim();
        Console.WriteLine($"  wrk -t2 -c{o.Connections} -d{o.WrkDuration.TotalSeconds:0}s /status{(gzip ? " (Accept-Encoding: gzip)" : "")}: {rps} req/s, non-2xx {non2xx}, {socket}; {latency}");
        Console.WriteLine($"  RSS {before.RssBytes / 1048576.0:0.0} MB → {after.RssBytes / 1048576.0:0.0} MB (growth {(after.RssBytes - before.RssBytes) / 1048576.0:0.0} MB), peak {after.PeakRssBytes / 1048576.0:0.0} MB; "
            + $"server CPU {after.CpuSeconds - before.CpuSeconds:0.0} s over {o.WrkDuration.TotalSeconds:0} s");
    }

    private static async Task<string> Wrk(string url, int connections, TimeSpan duration, bool gzip)
    {
        var psi = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] header = gzip ? ["-H", "Accept-Encoding: gzip"] : [];
        foreach (var a in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency" }.Concat(header).Append(url))
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors:[^\n]+")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"\s+99%\s+\S+")]
    private static partial Regex LatencyLine();
}
