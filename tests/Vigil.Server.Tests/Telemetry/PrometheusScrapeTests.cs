using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Telemetry;

/// <summary>A real Prometheus (Debian's <c>/usr/bin/prometheus</c>, on loopback with its own temporary storage) scrapes Vigil's <c>/metrics</c>.</summary>
public sealed class PrometheusScrapeTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";

    [Fact]
    public async Task Prometheus_ScrapesMetrics_QueryReturnsVigilSeries()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's prometheus package (.ci/run does).");
        await using var server = await TestServer.StartAsync("""
            vigil: { name: test }
            services:
              - id: web
                name: Web
            """);
        using (var admin = server.Admin())
        {
            (await admin.PostJsonAsync(Intake.Events, MetricsEndpointTests.Trigger("scraped", "critical"))).EnsureSuccessStatusCode();
        }

        using var dir = new TempDirectory();
        var port = FreePort();
        await File.WriteAllTextAsync(dir.File("prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: vigil
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{server.Address.Port}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(PrometheusBinary)
        {
            ArgumentList =
            {
                "--config.file=" + dir.File("prometheus.yml"),
                "--storage.tsdb.path=" + dir.File("data"),
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var result = await PollAsync(client, prometheus, "/api/v1/query?query=" + Uri.EscapeDataString("""vigil_signals_total{job="vigil",source="events"}"""));

            var series = result.GetProperty("data").GetProperty("result");
            Assert.True(series.GetArrayLength() >= 1, result.ToString());
            Assert.Equal("vigil_signals_total", series[0].GetProperty("metric").GetProperty("__name__").GetString());
            Assert.True(double.Parse(series[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1);

            var targets = JsonDocument.Parse(await client.GetStringAsync("/api/v1/targets")).RootElement.GetProperty("data").GetProperty("activeTargets");
            Assert.Equal("up", targets[0].GetProperty("health").GetString());
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }

        async Task<JsonElement> PollAsync(HttpClient client, Process process, string query)
        {
            // Prometheus scrapes on its own clock (every 1 s here): ask until the first scrape is queryable.
            // The deadline only bounds a broken setup; nothing asserts how long it took.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                Assert.False(process.HasExited, $"prometheus exited with {(process.HasExited ? process.ExitCode : 0)}: {log}");
                try
                {
                    var body = JsonDocument.Parse(await client.GetStringAsync(query, deadline.Token)).RootElement;
                    if (body.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                    {
                        return body.Clone();
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"Prometheus returned no Vigil series within 90 s. Log: {log}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"Prometheus returned no Vigil series within 90 s. Log: {log}");
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
