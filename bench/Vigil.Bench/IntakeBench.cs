using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// Sustained incident intake: N concurrent HTTP/1.1 keep-alive clients post Prometheus alerts
/// (<c>POST /api/v2/alerts</c>) and PagerDuty-shaped events (<c>POST /api/v1/events</c>) to the real
/// <c>vigil serve</c> child process on SQLite, spread over a fixed set of dedup keys with a share
/// of resolves, so incidents open, repeat, resolve and reopen. Loopback only; ends by itself.
/// </summary>
internal static class IntakeBench
{
    private const string AlertsPath = "/api/v2/alerts";
    private const string EventsPath = "/api/v1/events";
    private static readonly string[] Services = ["db", "cache", "api", "web", "worker"];

    public sealed record Options(TimeSpan Duration, TimeSpan Warmup, int Keys, int Clients, double ResolveShare, int Rate);

    public static async Task<int> RunAsync(Options o)
    {
        if (o.Keys < 2 || o.Clients < 1 || o.Duration <= TimeSpan.Zero || o.ResolveShare is < 0 or > 1 || o.Rate < 0)
        {
            Console.Error.WriteLine("intake: --keys must be at least 2, --clients at least 1, --duration positive, --resolve between 0 and 1, --rate 0 (closed loop) or more");
            return 2;
        }

        var dir = Directory.CreateTempSubdirectory("vigil-bench-intake-").FullName;
        try
        {
            var config = Path.Combine(dir, "vigil.yaml");
            // The same config as bench/wrk/intake.sh, so the two load generators measure the same server.
            File.Copy(Path.Combine(AppContext.BaseDirectory, "intake.yaml"), config);
            await using var vigil = await VigilChild.StartAsync(config, Path.Combine(dir, "data"));
            var secret = await CreateIntakeTokenAsync(vigil);

            var endpoint = new Uri(vigil.Address);
            var server = new IPEndPoint(IPAddress.Parse(endpoint.Host), endpoint.Port);
            var workload = new Workload(o.Keys, $"{endpoint.Host}:{endpoint.Port}", secret);
            var stats = new Stats();
            var load = o.Rate > 0 ? $"open loop at {o.Rate:N0} requests/s (latency counted from each request's scheduled time)" : "closed loop (each client sends its next request when the last is answered)";
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; the load generator runs on the same cores as Vigil");
            Console.WriteLine($"intake: {o.Clients} HTTP/1.1 keep-alive connections (raw sockets, prebuilt requests), {load}; half {AlertsPath} (1 alert per body), half {EventsPath};");
            Console.WriteLine($"        {o.Keys:N0} dedup keys ({o.Keys / 2:N0} per endpoint), {o.ResolveShare:P0} resolves; {o.Warmup.TotalSeconds:0} s warm-up, then {o.Duration.TotalSeconds:0} s measured");
            Console.WriteLine($"vigil serve: pid {vigil.Pid} at {vigil.Address}");

            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var runners = Enumerable.Range(0, o.Clients).Select(i => Task.Run(() => ClientAsync(i, o, server, workload, stats, clock, stop.Token))).ToArray();

            await Task.Delay(o.Warmup);
            var start = vigil.Sample();
            var benchCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var machineStart = MachineBusySeconds();
            stats.BeginMeasuring();
            var measured = Stopwatch.StartNew();
            var last = TimeSpan.Zero;
            var lastCount = 0L;
            var lastCpu = start.CpuSeconds;
            var lastBench = benchCpuStart;
            var lastMachine = machineStart;
            while (o.Duration - measured.Elapsed > TimeSpan.FromSeconds(0.5))
            {
                var left = o.Duration - measured.Elapsed;
                await Task.Delay(left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5));
                var interval = stats.TakeInterval();
                var now = measured.Elapsed;
                var sample = vigil.Sample();
                var total = stats.Completed;
                var bench = Process.GetCurrentProcess().TotalProcessorTime;
                var machine = MachineBusySeconds();
                var span = (now - last).TotalSeconds;
                var others = Math.Max(0, (machine - lastMachine) - (sample.CpuSeconds - lastCpu) - (bench - lastBench).TotalSeconds) / span;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  t+{now.TotalSeconds,3:0}s: {(total - lastCount) / span,7:N0} events/s, p50 {interval.Percentile(0.50),6:0.0} ms, p99 {interval.Percentile(0.99),6:0.0} ms, max {interval.Max,6:0.0} ms, errors {stats.Errors}, Vigil {(sample.CpuSeconds - lastCpu) / span:0.00} cores, others {others:0.00} cores, RSS {sample.RssBytes / (1024 * 1024)} MiB, store {sample.StoreBytes / (1024.0 * 1024):0.0} MiB"));
                last = now;
                lastCount = total;
                lastCpu = sample.CpuSeconds;
                lastBench = bench;
                lastMachine = machine;
            }

            var window = stats.EndMeasuring();
            var seconds = measured.Elapsed.TotalSeconds;
            var end = vigil.Sample();
            var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - benchCpuStart).TotalSeconds;
            var machineBusy = MachineBusySeconds() - machineStart;
            await stop.CancelAsync();
            await Task.WhenAll(runners);

            var rows = CountRows(vigil.DatabasePath);
            Print(o, window, seconds, start, end, benchCpu, machineBusy, rows);
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

    private static async Task<string> CreateIntakeTokenAsync(VigilChild vigil)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(vigil.Address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vigil.AdminToken);
        using var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "bench-intake", role = "intake", reason = "intake benchmark" });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("secret").GetString()!;
    }

    private static async Task ClientAsync(int index, Options o, IPEndPoint server, Workload workload, Stats stats, Stopwatch clock, CancellationToken stop)
    {
        var random = new Random(index * 7919 + 17);
        var next = 0L;
        RawHttpConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Open loop: request n of this client is due at (n * clients + index) / rate seconds.
                var scheduled = clock.Elapsed;
                if (o.Rate > 0)
                {
                    scheduled = TimeSpan.FromSeconds(((next++ * (double)o.Clients) + index) / o.Rate);
                    if (!stats.Measuring && clock.Elapsed - scheduled > TimeSpan.FromMilliseconds(100))
                    {
                        // A backlog from the warm-up (JIT, first pages) is not carried into the measured window.
                        next = (long)Math.Ceiling(((clock.Elapsed.TotalSeconds * o.Rate) - index) / o.Clients);
                        scheduled = TimeSpan.FromSeconds(((next++ * (double)o.Clients) + index) / o.Rate);
                    }

                    var wait = scheduled - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        try
                        {
                            await Task.Delay(wait, stop);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }

                var alerts = random.Next(2) == 0;
                var key = random.Next(workload.KeysPerEndpoint);
                var resolve = random.NextDouble() < o.ResolveShare;
                string? error;
                try
                {
                    connection ??= await RawHttpConnection.ConnectAsync(server);
                    var status = await connection.SendAsync(alerts ? workload.Alert(key, resolve) : workload.Event(key, resolve));
                    error = status is >= 200 and < 300 ? null : status.ToString(CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException)
                {
                    error = ex.GetType().Name + ": " + ex.Message;
                    connection?.Dispose();
                    connection = null;
                }

                stats.Record(alerts ? 0 : 1, (clock.Elapsed - scheduled).TotalMilliseconds, error);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static Dictionary<string, long> CountRows(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        var counts = new Dictionary<string, long>();
        foreach (var (name, sql) in new[]
        {
            ("incidents", "SELECT COUNT(*) FROM incidents"),
            ("open incidents", "SELECT COUNT(*) FROM incidents WHERE status IN ('triggered', 'acknowledged', 'mitigated')"),
            ("reopens", "SELECT COALESCE(SUM(reopened), 0) FROM incidents"),
            ("signals", "SELECT COUNT(*) FROM incident_signals"),
            ("firing signals", "SELECT COUNT(*) FROM incident_signals WHERE status = 'firing'"),
            ("fires counted", "SELECT COALESCE(SUM(fire_count), 0) FROM incident_signals"),
            ("timeline entries", "SELECT COUNT(*) FROM incident_timeline"),
            ("audit entries", "SELECT COUNT(*) FROM audit_log"),
        })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            counts[name] = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>CPU seconds all processes spent busy so far (first line of /proc/stat, less idle and iowait).</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...: count all but idle and iowait, and not guest (already in user).
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }

    private static void Print(Options o, Window w, double seconds, ProcSample start, ProcSample end, double benchCpu, double machineBusy, Dictionary<string, long> rows)
    {
        var cpu = end.CpuSeconds - start.CpuSeconds;
        var all = w.Endpoints[0].Merge(w.Endpoints[1]);
        Console.WriteLine();
        Console.WriteLine($"measured {seconds:0.0} s:");
        Console.WriteLine("| endpoint | requests | events/s | p50 ms | p99 ms | max ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        void Row(string name, Histogram h, long errors) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {h.Count:N0} | {h.Count / seconds:N0} | {h.Percentile(0.50):0.00} | {h.Percentile(0.99):0.00} | {h.Max:0.00} | {errors:N0} |"));
        Row($"POST {AlertsPath}", w.Endpoints[0], w.Errors[0]);
        Row($"POST {EventsPath}", w.Endpoints[1], w.Errors[1]);
        Row("all", all, w.Errors[0] + w.Errors[1]);
        foreach (var (kind, count) in w.ErrorKinds.OrderByDescending(e => e.Value).Take(5))
        {
            Console.WriteLine($"  error {kind}: {count:N0}");
        }

        Console.WriteLine();
        Console.WriteLine($"Vigil CPU:              {cpu / seconds:0.00} cores; {cpu / (all.Count / 1000.0):0.000} CPU-s per 1,000 events");
        Console.WriteLine($"load generator CPU:     {benchCpu / seconds:0.00} cores (same machine)");
        Console.WriteLine($"other processes' CPU:   {Math.Max(0, machineBusy - cpu - benchCpu) / seconds:0.00} cores (machine busy {machineBusy / seconds:0.00} of {Environment.ProcessorCount} cores; anything else running skews the figures)");
        Console.WriteLine($"Vigil RSS:              {end.RssBytes / (1024 * 1024)} MiB at the end, {end.PeakRssBytes / (1024 * 1024)} MiB peak (VmHWM)");
        Console.WriteLine($"SQLite:                 {end.DbBytes / (1024.0 * 1024):0.0} MiB db + {end.WalBytes / (1024.0 * 1024):0.0} MiB WAL; grew {(end.StoreBytes - start.StoreBytes) / (1024.0 * 1024):0.0} MiB during the measured window");
        Console.WriteLine($"stored (whole run):     {string.Join(", ", rows.Select(r => $"{r.Value:N0} {r.Key}"))}");
        var rate = all.Count / seconds;
        var p99 = all.Percentile(0.99);
        var clean = w.Errors[0] + w.Errors[1] == 0;
        // Issue 12: closed loop >= 15,000 events/s with p99 < 20 ms; open loop at 10,000/s delivered with p99 < 20 ms.
        var met = o.Rate > 0 ? rate >= o.Rate * 0.99 && p99 < 20 && clean : rate >= 15_000 && p99 < 20 && clean;
        var goal = o.Rate > 0 ? $"open loop: {o.Rate:N0}/s delivered, p99 < 20 ms, no errors" : "closed loop: >= 15,000 events/s, p99 < 20 ms, no errors";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target ({goal}): {(met ? "MET" : "MISSED")} ({rate:N0} events/s, p99 {p99:0.0} ms{(o.Rate > 0 ? $", offered {o.Rate:N0}/s" : "")})"));
    }

    /// <summary>
    /// Whole HTTP requests, prebuilt as bytes where they do not change: alerts and events over
    /// disjoint halves of the key space.
    /// </summary>
    private sealed class Workload
    {
        private readonly byte[][] _alertFiring;
        private readonly string[] _alertResolvePrefix;
        private readonly byte[][] _eventTrigger;
        private readonly byte[][] _eventResolve;
        private readonly string _host;
        private readonly string _secret;

        public Workload(int keys, string host, string secret)
        {
            _host = host;
            _secret = secret;
            KeysPerEndpoint = keys / 2;
            _alertFiring = new byte[KeysPerEndpoint][];
            _alertResolvePrefix = new string[KeysPerEndpoint];
            _eventTrigger = new byte[KeysPerEndpoint][];
            _eventResolve = new byte[KeysPerEndpoint][];
            for (var k = 0; k < KeysPerEndpoint; k++)
            {
                var service = Services[k % Services.Length];
                var severity = k % 4 == 0 ? "critical" : "warning";
                var labels = $"{{\"alertname\":\"BenchAlert{k % 20}\",\"service\":\"{service}\",\"severity\":\"{severity}\",\"instance\":\"host-{k}:9100\"}}";
                var annotations = $"{{\"summary\":\"Bench alert {k % 20} on host-{k} ({service})\"}}";
                _alertFiring[k] = Request(AlertsPath, $"[{{\"labels\":{labels},\"annotations\":{annotations}}}]");
                _alertResolvePrefix[k] = $"[{{\"labels\":{labels},\"annotations\":{annotations},\"endsAt\":\"";
                var dedup = $"bench-event-{k}";
                _eventTrigger[k] = Request(EventsPath,
                    $"{{\"routing_key\":\"bench-routing-key\",\"event_action\":\"trigger\",\"dedup_key\":\"{dedup}\",\"payload\":{{\"summary\":\"Bench event {k} on {service}\",\"source\":\"bench-{k % 50}\",\"severity\":\"{severity}\",\"component\":\"{service}\"}}}}");
                _eventResolve[k] = Request(EventsPath, $"{{\"routing_key\":\"bench-routing-key\",\"event_action\":\"resolve\",\"dedup_key\":\"{dedup}\"}}");
            }
        }

        public int KeysPerEndpoint { get; }

        /// <summary>A list of one alert; a resolve carries an endsAt in the past, as Prometheus sends it.</summary>
        public byte[] Alert(int key, bool resolve) => resolve
            ? Request(AlertsPath, _alertResolvePrefix[key] + TimeProvider.System.GetUtcNow().AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture) + "\"}]")
            : _alertFiring[key];

        public byte[] Event(int key, bool resolve) => resolve ? _eventResolve[key] : _eventTrigger[key];

        private byte[] Request(string path, string json)
        {
            var body = Encoding.UTF8.GetBytes(json);
            var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"POST {path} HTTP/1.1\r\nHost: {_host}\r\nAuthorization: Bearer {_secret}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            return [.. head, .. body];
        }
    }

    /// <summary>Request counts and latency histograms, per endpoint, for the measured window and the current progress interval.</summary>
    private sealed class Stats
    {
        private Window? _window;
        private Window _interval = new();
        private long _completed;

        public long Completed => Interlocked.Read(ref _completed);

        public bool Measuring => Volatile.Read(ref _window) is not null;

        public long Errors => _window is { } w ? Interlocked.Read(ref w.Errors[0]) + Interlocked.Read(ref w.Errors[1]) : 0;

        public void BeginMeasuring()
        {
            Interlocked.Exchange(ref _completed, 0);
            Volatile.Write(ref _window, new Window());
            Volatile.Write(ref _interval, new Window());
        }

        public Window EndMeasuring() => Interlocked.Exchange(ref _window, null)!;

        public Histogram TakeInterval()
        {
            var old = Interlocked.Exchange(ref _interval, new Window());
            return old.Endpoints[0].Merge(old.Endpoints[1]);
        }

        public void Record(int endpoint, double ms, string? error)
        {
            if (Volatile.Read(ref _window) is not { } window)
            {
                return;
            }

            Volatile.Read(ref _interval).Record(endpoint, ms, error);
            window.Record(endpoint, ms, error);
            if (error is null)
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    private sealed class Window
    {
        public Histogram[] Endpoints { get; } = [new(), new()];

        public long[] Errors { get; } = new long[2];

        public ConcurrentDictionary<string, long> ErrorKinds { get; } = new();

        public void Record(int endpoint, double ms, string? error)
        {
            if (error is null)
            {
                Endpoints[endpoint].Record(ms);
            }
            else
            {
                Interlocked.Increment(ref Errors[endpoint]);
                ErrorKinds.AddOrUpdate(error, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>A lock-free log-linear latency histogram in microseconds, about 0.4 % wide buckets.</summary>
    private sealed class Histogram
    {
        private const int Linear = 512;
        private readonly long[] _buckets = new long[Linear + (40 * 256)];
        private long _count;
        private long _maxUs;

        public long Count => Interlocked.Read(ref _count);

        public double Max => Interlocked.Read(ref _maxUs) / 1000.0;

        public void Record(double ms)
        {
            var us = (long)Math.Max(0, ms * 1000);
            Interlocked.Increment(ref _buckets[Index(us)]);
            Interlocked.Increment(ref _count);
            var max = Interlocked.Read(ref _maxUs);
            while (us > max && Interlocked.CompareExchange(ref _maxUs, us, max) is var seen && seen != max)
            {
                max = seen;
            }
        }

        public double Percentile(double q)
        {
            var count = Count;
            if (count == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(q * count);
            long seen = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                seen += _buckets[i];
                if (seen >= rank)
                {
                    return Math.Min(Upper(i), Interlocked.Read(ref _maxUs)) / 1000.0;
                }
            }

            return Max;
        }

        public Histogram Merge(Histogram other)
        {
            var merged = new Histogram();
            for (var i = 0; i < _buckets.Length; i++)
            {
                merged._buckets[i] = _buckets[i] + other._buckets[i];
            }

            merged._count = Count + other.Count;
            merged._maxUs = Math.Max(Interlocked.Read(ref _maxUs), Interlocked.Read(ref other._maxUs));
            return merged;
        }

        private static int Index(long us)
        {
            if (us < Linear)
            {
                return (int)us;
            }

            var e = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)us); // >= 9
            var shift = e - 8;
            var index = Linear + ((e - 9) * 256) + (int)((us >> shift) - 256);
            return Math.Min(index, Linear + (40 * 256) - 1);
        }

        /// <summary>The highest microsecond value that falls in bucket <paramref name="i"/>.</summary>
        private static long Upper(int i)
        {
            if (i < Linear)
            {
                return i;
            }

            var e = ((i - Linear) / 256) + 9;
            var mantissa = ((i - Linear) % 256) + 256;
            var shift = e - 8;
            return ((mantissa + 1L) << shift) - 1;
        }
    }
}
