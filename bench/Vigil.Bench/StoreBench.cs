using System.Diagnostics;
using System.Net.Http.Headers;
using Vigil.Core.Audit;
using Vigil.Server.Hosting;

namespace Vigil.Bench;

/// <summary>
/// Foundation benchmarks: audited store writes, authenticated API reads, audit verification.
/// Loopback only, bounded counts.
/// </summary>
internal static class StoreBench
{
public static async Task<int> RunAsync(int writes, int reads)
{
var dir = Directory.CreateTempSubdirectory("vigil-bench-").FullName;
try
{
    await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), "vigil:\n  name: bench\nservices:\n  - id: web\n");
    var prepared = await VigilServer.PrepareAsync(new ServerOptions
    {
        ConfigPath = Path.Combine(dir, "vigil.yaml"),
        DataDirectory = Path.Combine(dir, "data"),
        Listen = "http://127.0.0.1:0",
    }, CancellationToken.None);
    if (prepared.App is null)
    {
        Console.Error.WriteLine(string.Join("\n", prepared.Errors));
        return 1;
    }

    await using var app = prepared.App;
    await app.StartAsync();
    var store = app.Services.GetService(typeof(Vigil.Core.Storage.IVigilStore)) as Vigil.Core.Storage.IVigilStore;

    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

    // 1. Audited writes: one transaction each, synchronous=FULL.
    var latencies = new List<double>(writes);
    var total = Stopwatch.StartNew();
    for (var i = 0; i < writes; i++)
    {
        var sw = Stopwatch.StartNew();
        await store!.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("bench", "bench.write", $"thing/{i}", null, null, "{\"n\":1}"), ct), CancellationToken.None);
        latencies.Add(sw.Elapsed.TotalMilliseconds);
    }

    Report("audited store writes (sequential)", writes, total.Elapsed, latencies);

    // 2. Authenticated reads over HTTP from 8 concurrent clients.
    var address = VigilServer.ListeningAddress(app);
    using var http = new HttpClient { BaseAddress = address };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", prepared.NewAdminToken);
    var readLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
    total.Restart();
    await Parallel.ForAsync(0, reads, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
    {
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync("/api/v1/status", ct);
        response.EnsureSuccessStatusCode();
        readLatencies.Add(sw.Elapsed.TotalMilliseconds);
    });
    Report("GET /api/v1/status (8 concurrent, token auth)", reads, total.Elapsed, [.. readLatencies]);

    // 3. Verify the whole chain.
    total.Restart();
    var result = await store!.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
    Console.WriteLine($"audit verify: {result.Checked} entries in {total.Elapsed.TotalMilliseconds:0} ms ({result.Checked / total.Elapsed.TotalSeconds:0} entries/s), ok={result.Ok}");
    var db = new FileInfo(Path.Combine(dir, "data", "vigil.db"));
    Console.WriteLine($"store size after run: {db.Length / 1024} KiB (+ WAL {new FileInfo(db.FullName + "-wal").Length / 1024} KiB)");
    Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
    await app.StopAsync();
    return 0;
}
finally
{
    Directory.Delete(dir, recursive: true);
}

}

private static void Report(string what, int count, TimeSpan elapsed, List<double> latencies)
{
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    Console.WriteLine($"{what}: {count} in {elapsed.TotalSeconds:0.00} s = {count / elapsed.TotalSeconds:0} /s; p50 {P(0.50):0.00} ms, p99 {P(0.99):0.00} ms, max {latencies[^1]:0.00} ms");
}
}
