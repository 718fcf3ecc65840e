using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.Bench;

/// <summary>
/// Detection → first page: one HTTP check every second with <c>fail_after: 1</c> and severity P0,
/// whose escalation pages a webhook notifier at once. The real <c>vigil serve</c> runs as a child
/// process; the check target and the webhook receiver are Kestrel apps on loopback in this process.
/// Each round stops the target (connections refused from then on) and times until the first
/// <c>trigger</c> webhook arrives, then starts the target again and waits for the resolve notice.
/// </summary>
internal static class DetectBench
{
    public static async Task<int> RunAsync(int kills)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-bench-detect-").FullName;
        VigilChild? vigil = null;
        WebApplication? target = null;
        try
        {
            var pages = Channel.CreateUnbounded<(string Kind, long Timestamp)>();
            var rb = WebApplication.CreateSlimBuilder();
            rb.Logging.ClearProviders();
            rb.WebHost.UseUrls("http://127.0.0.1:0");
            await using var receiver = rb.Build();
            receiver.MapPost("/hook", async (HttpContext ctx) =>
            {
                var at = Stopwatch.GetTimestamp();
                using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
                pages.Writer.TryWrite((doc.RootElement.GetProperty("kind").GetString() ?? "", at));
                return Results.Ok();
            });
            await receiver.StartAsync();

            var port = FreePort();
            target = await StartTargetAsync(port);

            var yaml = $$"""
                vigil: { name: bench-detect, environment: dev }
                services:
                  - id: edge
                    checks:
                      - { id: health, http: { url: "http://127.0.0.1:{{port}}/health", expect_status: [200] }, every: 1s, timeout: 1s, fail_after: 1, severity: P0 }
                escalation_policies:
                  - id: default
                    steps:
                      - { after: 0m, notify: ["notifier:hook"] }
                notifiers:
                  - { id: hook, webhook: { url: "{{receiver.Urls.First()}}/hook" } }
                """;
            await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), yaml);
            vigil = await VigilChild.StartAsync(Path.Combine(dir, "vigil.yaml"), Path.Combine(dir, "data"));

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"detect: 1 HTTP check every 1 s, fail_after 1, P0 paging webhook on loopback; {kills} kills of the target");
            await Task.Delay(TimeSpan.FromSeconds(3)); // a few ok results first
            var latencies = new List<double>();
            var random = new Random(12345);
            for (var k = 0; k < kills; k++)
            {
                // Kill at a random phase of the check interval, so the figures cover all of it.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1000)));
                while (pages.Reader.TryRead(out _))
                {
                }

                var killed = Stopwatch.GetTimestamp();
                await target.StopAsync();
                await target.DisposeAsync();
                target = null;
                var page = await NextAsync(pages.Reader, "trigger", TimeSpan.FromSeconds(30));
                var seconds = Stopwatch.GetElapsedTime(killed, page).TotalSeconds;
                latencies.Add(seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kill {k + 1}: first page after {seconds:0.000} s"));

                target = await StartTargetAsync(port);
                await NextAsync(pages.Reader, "resolve", TimeSpan.FromSeconds(30));
            }

            latencies.Sort();
            var median = latencies.Count % 2 == 1 ? latencies[latencies.Count / 2] : (latencies[(latencies.Count / 2) - 1] + latencies[latencies.Count / 2]) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"detection → first page webhook over {latencies.Count} kills: median {median:0.000} s, min {latencies[0]:0.000} s, max {latencies[^1]:0.000} s"));
            return 0;
        }
        finally
        {
            if (vigil is not null)
            {
                await vigil.DisposeAsync();
            }

            if (target is not null)
            {
                await target.DisposeAsync();
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

    private static async Task<long> NextAsync(ChannelReader<(string Kind, long Timestamp)> reader, string kind, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var (k, at) = await reader.ReadAsync(cts.Token);
                if (k == kind)
                {
                    return at;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {kind} webhook within {timeout.TotalSeconds:0} s");
        }
    }

    private static async Task<WebApplication> StartTargetAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok"));
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
