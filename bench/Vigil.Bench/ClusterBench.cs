using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vigil.Storage.Tests;

namespace Vigil.Bench;

/// <summary>
/// Three real <c>vigil serve</c> nodes on one PostgreSQL database (issue 17): a throwaway cluster of the bench's own (Debian's
/// initdb/pg_ctl, as the tests do) or <c>--postgres CONNSTR</c>. Three phases, each node a child process read from /proc:
/// <list type="number">
/// <item>intake: events/s through one node, then through all three (closed loop, no checks configured);</item>
/// <item>checks: N HTTP checks against a loopback target, CPU-seconds per node and probes/s at the target;</item>
/// <item>failover: SIGKILL of the node probing the most checks, K times; the time from the kill to the first probe (at the target)
/// of a check that moved, and to the last such check; the node is started again before the next kill.</item>
/// </list>
/// Loopback only; ends by itself and removes what it made.
/// </summary>
internal static class ClusterBench
{
    public sealed record Options(int Checks, TimeSpan Every, TimeSpan Duration, int Kills, TimeSpan IntakeDuration, int Clients, TimeSpan LeaseTtl, string? Postgres);

    private const int Nodes = 3;

    public static async Task<int> RunAsync(Options o)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-bench-cluster-").FullName;
        PostgresCluster? pg = null;
        var children = new VigilChild?[Nodes];
        string? database = null;
        string? admin = null;
        try
        {
            if (o.Postgres is null)
            {
                pg = await PostgresCluster.StartAsync();
            }

            admin = o.Postgres ?? pg!.ConnectionString;
            var name = "vigil_bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var c = new NpgsqlConnection(admin))
            {
                await c.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
                await create.ExecuteNonQueryAsync();
            }

            database = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            // The children inherit it (VigilChild starts them with this process's environment).
            Environment.SetEnvironmentVariable("VIGIL_STORAGE_POSTGRES", database);

            // The probe target: counts probes, and after a kill keeps each check's first arrival.
            var arrivals = 0L;
            var firstAfter = new long[o.Checks];
            var mark = long.MaxValue;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            await using var target = builder.Build();
            target.MapGet("/health", (HttpContext ctx) =>
            {
                var now = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref arrivals);
                if (int.TryParse(ctx.Request.Query["c"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c < firstAfter.Length && now > Volatile.Read(ref mark))
                {
                    Interlocked.CompareExchange(ref firstAfter[c], now, 0);
                }

                return Results.Text("ok");
            });
            await target.StartAsync();
            var targetUrl = target.Urls.First();

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Trim()}; the load generator and PostgreSQL share the cores");
            Console.WriteLine($"cluster: {Nodes} vigil serve nodes on one PostgreSQL ({(o.Postgres is null ? "a throwaway cluster of the bench's own, fsync off" : "--postgres")}), lease_ttl {o.LeaseTtl.TotalSeconds:0} s, heartbeat {HeartbeatOf(o).TotalSeconds:0} s");

            // Phase 1: intake, no checks.
            var intakeConfig = Path.Combine(dir, "intake.yaml");
            await File.WriteAllTextAsync(intakeConfig, Config(o, 0, ""));
            await StartAllAsync(children, intakeConfig, dir);
            var token = children[0]!.AdminToken;
            await WaitLiveAsync(children, token, TimeSpan.FromSeconds(120));
            var one = await IntakeAsync(children, token, [0], o);
            var all = await IntakeAsync(children, token, [0, 1, 2], o);
            for (var i = 0; i < Nodes; i++)
            {
                await children[i]!.DisposeAsync();
                children[i] = null;
            }

            // Phase 2: checks.
            var checksConfig = Path.Combine(dir, "checks.yaml");
            await File.WriteAllTextAsync(checksConfig, Config(o, o.Checks, targetUrl));
            await StartAllAsync(children, checksConfig, dir);
            await WaitLiveAsync(children, token, TimeSpan.FromSeconds(300));
            Console.WriteLine($"checks: {o.Checks:N0} HTTP checks every {o.Every.TotalSeconds:0} s (timeout 4 s) against {targetUrl}; warm-up {2 * o.Every.TotalSeconds:0} s, then {o.Duration.TotalSeconds:0} s measured");
            await Task.Delay(2 * o.Every);
            var cpu0 = children.Select(c => c!.Sample().CpuSeconds).ToArray();
            var probes0 = Interlocked.Read(ref arrivals);
            var clock = Stopwatch.StartNew();
            await Task.Delay(o.Duration);
            var seconds = clock.Elapsed.TotalSeconds;
            var probes = Interlocked.Read(ref arrivals) - probes0;
            var cpu = children.Select((c, i) => c!.Sample().CpuSeconds - cpu0[i]).ToArray();
            var view = await ClusterAsync(children, token);
            var perNode = view.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!, n => n.GetProperty("checks").GetInt32());
            var leader = view.GetProperty("leader").GetProperty("node").GetString();
            Console.WriteLine($"probes/s at the target:     {probes / seconds:N0} (target {o.Checks / o.Every.TotalSeconds:N0})");
            for (var i = 0; i < Nodes; i++)
            {
                Console.WriteLine($"  {NodeId(i)}{(NodeId(i) == leader ? " (leader)" : "")}: {perNode.GetValueOrDefault(NodeId(i))} checks, {cpu[i]:0.0} CPU-s in {seconds:0} s = {cpu[i] / seconds:0.00} cores, RSS {children[i]!.Sample().RssBytes / (1024 * 1024)} MiB");
            }

            // Phase 3: failover.
            var failovers = new List<(double First, double Last, int Moved)>();
            for (var k = 0; k < o.Kills; k++)
            {
                view = await ClusterAsync(children, token);
                var victimId = view.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("live").GetBoolean())
                    .OrderByDescending(n => n.GetProperty("checks").GetInt32()).ThenByDescending(n => n.GetProperty("leader").GetBoolean()).First().GetProperty("id").GetString()!;
                var victim = int.Parse(victimId[4..], CultureInfo.InvariantCulture);
                Array.Clear(firstAfter);
                var killedAt = Stopwatch.GetTimestamp();
                Volatile.Write(ref mark, killedAt);
                await children[victim]!.DisposeAsync();
                children[victim] = null;
                // Moved: a check not probed within one interval (+1 s) of the kill, which it would have been had its node lived.
                var deadline = Stopwatch.StartNew();
                var limit = 3 * o.LeaseTtl + o.Every + TimeSpan.FromSeconds(60);
                while (deadline.Elapsed < limit && firstAfter.Any(t => t == 0))
                {
                    await Task.Delay(100);
                }

                Volatile.Write(ref mark, long.MaxValue);
                var regular = o.Every.TotalSeconds + 1;
                var after = firstAfter.Select(t => t == 0 ? double.PositiveInfinity : Stopwatch.GetElapsedTime(killedAt, t).TotalSeconds).ToArray();
                var moved = after.Where(a => a > regular).ToList();
                var f = moved.Count == 0 ? 0 : moved.Min();
                var l = moved.Count == 0 ? 0 : moved.Max();
                failovers.Add((f, l, moved.Count));
                Console.WriteLine($"  kill {k + 1}: {victimId} ({moved.Count:N0} checks moved): first probe of a moved check {f:0.00} s after the kill, last {l:0.00} s");
                children[victim] = await VigilChild.StartAsync(checksConfig, DataOf(dir, victim));
                await WaitLiveAsync(children, token, TimeSpan.FromSeconds(300));
                await Task.Delay(2 * o.Every);
            }

            Console.WriteLine();
            Console.WriteLine($"intake, one node:           {one.Rate:N0} events/s ({one.Errors} errors), p50 {one.P50:0.0} ms, p99 {one.P99:0.0} ms");
            Console.WriteLine($"intake, all three nodes:    {all.Rate:N0} events/s ({all.Errors} errors), p50 {all.P50:0.0} ms, p99 {all.P99:0.0} ms");
            Console.WriteLine($"checks: probes/s {probes / seconds:N0} of {o.Checks / o.Every.TotalSeconds:N0}; CPU per node {string.Join(", ", cpu.Select((c, i) => $"{NodeId(i)} {c / seconds:0.00} cores"))}");
            var counted = failovers.Where(x => x.Moved > 0).ToList();
            if (counted.Count < failovers.Count)
            {
                Console.WriteLine($"{failovers.Count - counted.Count} kill(s) moved no check (the node probed none when it died): left out below");
            }

            if (counted.Count > 0)
            {
                var firsts = counted.Select(x => x.First).Order().ToList();
                var lasts = counted.Select(x => x.Last).Order().ToList();
                Console.WriteLine($"failover over {counted.Count} kills: first probe of a moved check median {firsts[firsts.Count / 2]:0.00} s, min {firsts[0]:0.00} s, max {firsts[^1]:0.00} s; " +
                    $"every moved check probed: median {lasts[lasts.Count / 2]:0.00} s, max {lasts[^1]:0.00} s");
            }

            return 0;
        }
        finally
        {
            foreach (var c in children)
            {
                if (c is not null)
                {
                    await c.DisposeAsync();
                }
            }

            if (pg is not null)
            {
                await pg.DisposeAsync();
            }
            else if (database is not null && admin is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var c = new NpgsqlConnection(admin);
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH (FORCE)", c);
                await drop.ExecuteNonQueryAsync();
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

    private static TimeSpan HeartbeatOf(Options o) => o.LeaseTtl / 3;

    private static string NodeId(int i) => "node" + i.ToString(CultureInfo.InvariantCulture);

    private static string DataOf(string dir, int i) => Path.Combine(dir, "data-" + NodeId(i));

    private static string Config(Options o, int checks, string targetUrl)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"vigil: {{ name: bench-cluster, environment: dev }}\ncluster: {{ heartbeat_interval: {(int)HeartbeatOf(o).TotalSeconds}s, lease_ttl: {(int)o.LeaseTtl.TotalSeconds}s }}\n");
        yaml.Append("integrations:\n  events:\n    route: { severity_label: severity, map: { critical: P1, warning: P3 }, service_label: component }\n");
        yaml.Append("services:\n  - id: api\n");
        const int perService = 100;
        for (var s = 0; s * perService < checks; s++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: svc{s}\n    checks:\n");
            for (var c = s * perService; c < Math.Min(checks, (s + 1) * perService); c++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"      - {{ id: c{c}, http: {{ url: \"{targetUrl}/health?c={c}\", expect_status: [200] }}, every: {(int)o.Every.TotalSeconds}s, timeout: 4s }}\n");
            }
        }

        return yaml.ToString();
    }

    /// <summary>Starts node 0, copies its data folder (keys, admin token) to the others when they have none, and starts them.</summary>
    private static async Task StartAllAsync(VigilChild?[] children, string config, string dir)
    {
        for (var i = 0; i < Nodes; i++)
        {
            var data = DataOf(dir, i);
            if (!Directory.Exists(data))
            {
                if (i == 0)
                {
                    Directory.CreateDirectory(data);
                }
                else
                {
                    CopyFolder(DataOf(dir, 0), data);
                }

                await File.WriteAllTextAsync(Path.Combine(data, "node-id"), NodeId(i) + "\n");
            }

            if (i == 0)
            {
                children[0] = await VigilChild.StartAsync(config, data);
            }
        }

        var rest = await Task.WhenAll(Enumerable.Range(1, Nodes - 1).Select(i => VigilChild.StartAsync(config, DataOf(dir, i))));
        for (var i = 1; i < Nodes; i++)
        {
            children[i] = rest[i - 1];
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) is not ("vigil.lock" or "vigil.pid" or "node-id")))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }

    private static HttpClient Api(VigilChild child, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(child.Address), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> ClusterAsync(VigilChild?[] children, string token)
    {
        foreach (var child in children.Where(c => c is not null))
        {
            try
            {
                using var api = Api(child!, token);
                return await api.GetFromJsonAsync<JsonElement>("/api/v1/cluster");
            }
            catch (HttpRequestException)
            {
            }
        }

        throw new InvalidOperationException("no node answered /api/v1/cluster");
    }

    /// <summary>Waits until every node is live and one leads.</summary>
    private static async Task WaitLiveAsync(VigilChild?[] children, string token, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await ClusterAsync(children, token);
            var live = view.GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("live").GetBoolean());
            if (live == Nodes && view.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.Object)
            {
                return;
            }

            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"the cluster did not show {Nodes} live nodes and a leader within {within.TotalSeconds:0} s: {view}");
            }

            await Task.Delay(250);
        }
    }

    private sealed record IntakeResult(double Rate, long Errors, double P50, double P99);

    /// <summary>Closed loop: <see cref="Options.Clients"/> senders post events to <paramref name="through"/> in turn for the intake duration (after a 5 s warm-up).</summary>
    private static async Task<IntakeResult> IntakeAsync(VigilChild?[] children, string token, int[] through, Options o)
    {
        var clients = through.Select(i => Api(children[i]!, token)).ToArray();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        long ok = 0, errors = 0, measuring = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, o.Clients).Select(w => Task.Run(async () =>
        {
            var client = clients[w % clients.Length];
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"k{(w * 7919 + n) % 1000}";
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/events", new
                    {
                        event_action = n % 10 == 9 ? "resolve" : "trigger",
                        dedup_key = key,
                        payload = new { summary = "bench " + key, source = "bench", severity = "warning", component = "api" },
                    });
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref ok);
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                            failures.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, x) => x + 1);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    failures.AddOrUpdate(ex.GetType().Name, 1, (_, x) => x + 1);
                }
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpu0 = children.Select(c => c!.Sample().CpuSeconds).ToArray();
        Volatile.Write(ref measuring, 1);
        var clock = Stopwatch.StartNew();
        await Task.Delay(o.IntakeDuration);
        Volatile.Write(ref measuring, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = children.Select((c, i) => c!.Sample().CpuSeconds - cpu0[i]).ToArray();
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        foreach (var c in clients)
        {
            c.Dispose();
        }

        var sorted = latencies.Order().ToList();
        var result = new IntakeResult(ok / seconds, errors, sorted.Count == 0 ? 0 : sorted[sorted.Count / 2], sorted.Count == 0 ? 0 : sorted[(int)(sorted.Count * 0.99)]);
        Console.WriteLine($"intake through {string.Join(", ", through.Select(NodeId))}: {o.Clients} closed-loop senders, {seconds:0} s: {result.Rate:N0} events/s, {errors} errors{(failures.IsEmpty ? "" : " (" + string.Join(", ", failures.Select(f => $"{f.Key} x{f.Value}")) + ")")}, p50 {result.P50:0.0} ms, p99 {result.P99:0.0} ms; " +
            $"CPU {string.Join(", ", cpu.Select((c, i) => $"{NodeId(i)} {c / seconds:0.00} cores"))}");
        return result;
    }
}
