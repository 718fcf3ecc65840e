using System.Text.Json;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Telemetry;

/// <summary>A real Prometheus (Debian's <c>/usr/bin/prometheus</c>, on loopback with its own temporary storage) scrapes Vigil's <c>/metrics</c>.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_ScrapesMetrics_QueryReturnsVigilSeries()
    {
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

        await using var prometheus = await PrometheusServer.StartAsync($"""
              - job_name: vigil
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{server.Address.Port}"]
            """);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheus.Port}"), Timeout = TimeSpan.FromSeconds(5) };
        var result = await PollAsync(client, "/api/v1/query?query=" + Uri.EscapeDataString("""vigil_signals_total{job="vigil",source="events"}"""));

        var series = result.GetProperty("data").GetProperty("result");
        Assert.True(series.GetArrayLength() >= 1, result.ToString());
        Assert.Equal("vigil_signals_total", series[0].GetProperty("metric").GetProperty("__name__").GetString());
        Assert.True(double.Parse(series[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1);

        var targets = JsonDocument.Parse(await client.GetStringAsync("/api/v1/targets")).RootElement.GetProperty("data").GetProperty("activeTargets");
        Assert.Equal("up", targets[0].GetProperty("health").GetString());

        async Task<JsonElement> PollAsync(HttpClient client, string query)
        {
            // Prometheus scrapes on its own clock (every 1 s here): ask until the first scrape is queryable.
            // The deadline only bounds a broken setup; nothing asserts how long it took.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                Assert.False(prometheus.HasExited, $"prometheus exited: {prometheus.Log}");
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
                    throw new TimeoutException($"Prometheus returned no Vigil series within 90 s. Log: {prometheus.Log}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"Prometheus returned no Vigil series within 90 s. Log: {prometheus.Log}");
                }
            }
        }
    }
}
