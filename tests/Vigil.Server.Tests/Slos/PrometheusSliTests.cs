using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Slos;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Slos;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Slos;

/// <summary>
/// Prometheus SLIs against a real <c>/usr/bin/prometheus</c> on loopback, scraping a tiny loopback exporter whose
/// request counters grow 90 good and 10 bad per scrape: the SLO engine queries good and total over each window,
/// pages on the burn, blocks the gate, exports the gauges on <c>/metrics</c>; a bad query and an unreachable
/// Prometheus make their SLOs unknown with the reason, never a failed turn.
/// </summary>
public sealed class PrometheusSliTests
{
    [Fact]
    public async Task PrometheusSli_BurningTenPercent_Pages_BlocksTheGate_AndExportsGauges_WhileBadOnesAreUnknown()
    {
        var scrapes = 0;
        await using var exporter = await HttpReceiver.StartAsync(async (ctx, _) =>
        {
            var n = Interlocked.Increment(ref scrapes);
            ctx.Response.ContentType = "text/plain; version=0.0.4";
            await ctx.Response.WriteAsync($"""
                # TYPE demo_requests_total counter
                demo_requests_total{"{"}code="200"{"}"} {n * 90}
                demo_requests_total{"{"}code="500"{"}"} {n * 10}

                """);
        });

        // Something at a Prometheus URL answering valid JSON of the wrong shape.
        await using var odd = await HttpReceiver.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("""{"status":"success","data":null}""");
        });

        await using var prometheus = await PrometheusServer.StartAsync($$"""
              - job_name: demo
                static_configs: [{ targets: ["127.0.0.1:{{exporter.BaseAddress.Port}}"] }]
            """);
        var port = prometheus.Port;
        await using var server = await TestServer.StartAsync($$"""
            vigil: { name: prom-sli }
            slo_defaults: { evaluate_every: 1h }
            services:
              - id: shop
                slos:
                  - id: shop-requests
                    objective: 99.5%
                    window: 1h
                    prometheus:
                      url: http://127.0.0.1:{{port}}
                      good: demo_requests_total{job="demo",code!~"5.."}
                      total: demo_requests_total{job="demo"}
                  - id: shop-bad-query
                    objective: 99%
                    prometheus: { url: "http://127.0.0.1:{{port}}", good: '{__name__=~"("}', total: demo_requests_total }
                  - id: shop-no-prometheus
                    objective: 99%
                    prometheus: { url: "http://127.0.0.1:1", good: ok_total, total: all_total }
                  - id: shop-odd-answer
                    objective: 99%
                    prometheus: { url: "http://127.0.0.1:{{odd.BaseAddress.Port}}", good: ok_total, total: all_total }
            """);
        var engine = server.App.Services.GetRequiredService<SloEngine>();

        // Prometheus scrapes on its own clock (every 1 s): evaluate until two scrapes make an increase.
        // The deadline only bounds a broken setup; nothing asserts how long it took.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        SloSnapshot snapshot;
        while (true)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited: {prometheus.Log}");
            snapshot = await engine.EvaluateNowAsync(CancellationToken.None);
            if (snapshot.Slos.Single(s => s.Slo.Id == "shop-requests").State == "page")
            {
                break;
            }

            Assert.False(deadline.IsCancellationRequested,
                $"shop-requests never paged: {Describe(snapshot.Slos.Single(s => s.Slo.Id == "shop-requests"))}; scrapes {scrapes}; log: {prometheus.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }

        var requests = snapshot.Slos.Single(s => s.Slo.Id == "shop-requests");
        // 10 % errors against a 0.5 % budget: a 20x burn (Prometheus extrapolates increases, so about).
        Assert.InRange(requests.Budget!.Attainment!.Value, 0.88, 0.92);
        Assert.InRange(requests.BurnRates.Single(r => r.Window == "1h").Rate, 16, 24);
        Assert.True(requests.Budget.Exhausted);
        var badQuery = snapshot.Slos.Single(s => s.Slo.Id == "shop-bad-query");
        Assert.Equal("unknown", badQuery.State);
        Assert.Contains($"Prometheus at http://127.0.0.1:{port} rejected", badQuery.Reason, StringComparison.Ordinal);
        Assert.Contains("bad_data", badQuery.Reason, StringComparison.Ordinal);
        var unreachable = snapshot.Slos.Single(s => s.Slo.Id == "shop-no-prometheus");
        Assert.Equal("unknown", unreachable.State);
        Assert.Contains("Prometheus at http://127.0.0.1:1 could not be reached", unreachable.Reason, StringComparison.Ordinal);
        Assert.Null(unreachable.Budget);
        var oddAnswer = snapshot.Slos.Single(s => s.Slo.Id == "shop-odd-answer");
        Assert.Equal("unknown", oddAnswer.State);
        Assert.Contains("with JSON of an unexpected shape", oddAnswer.Reason, StringComparison.Ordinal);

        using var admin = server.Admin();
        var incidents = await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true", VigilJson.Options);
        var incident = Assert.Single(incidents!);
        Assert.Equal(("P1", "shop"), (incident.Severity, incident.Service));
        Assert.Contains("SLO shop-requests burning", incident.Title, StringComparison.Ordinal);

        var shown = await admin.GetFromJsonAsync<SloDetailView>("/api/v1/slos/shop-no-prometheus", VigilJson.Options);
        Assert.Equal("unknown", shown!.Slo.State);
        Assert.Contains("could not be reached", shown.Slo.Note, StringComparison.Ordinal);
        Assert.Empty(shown.History);

        var gate = await server.CliAsync("gate", "--service", "shop", "-o", "json");
        Assert.Equal(1, gate.ExitCode);
        var view = JsonSerializer.Deserialize<GateView>(gate.Out, VigilJson.Options)!;
        Assert.Contains("SLO shop-requests (99.5% over 1h) has no error budget left", Assert.Single(view.Reasons, r => r.Code == "slo_budget_exhausted").Message, StringComparison.Ordinal);

        using var anonymous = server.Client();
        var metrics = await anonymous.GetStringAsync("/metrics");
        // Values as numbers: an exact 0.9 prints as "0.9", an extrapolated one as "0.8987…".
        Assert.InRange(Sample(metrics, """vigil_slo_burn_rate\{[^}]*service="shop"[^}]*slo="shop-requests"[^}]*window="1h"[^}]*\}"""), 16, 24);
        Assert.InRange(Sample(metrics, """vigil_slo_error_budget_remaining_ratio\{[^}]*slo="shop-requests"[^}]*\}"""), -23, -15);
        Assert.InRange(Sample(metrics, """vigil_slo_attainment_ratio\{[^}]*slo="shop-requests"[^}]*\}"""), 0.88, 0.92);
        Assert.Equal(0.99, Sample(metrics, """vigil_slo_objective_ratio\{[^}]*slo="shop-no-prometheus"[^}]*\}"""));
        // An unknown SLO has no budget to report.
        Assert.DoesNotMatch("""vigil_slo_error_budget_remaining_ratio\{[^}]*slo="shop-no-prometheus""", metrics);
    }

    /// <summary>The value of the one series in a Prometheus exposition that <paramref name="series"/> (a regex of name and labels) matches.</summary>
    private static double Sample(string exposition, string series)
    {
        var match = System.Text.RegularExpressions.Regex.Match(exposition, series + @" (\S+)\n");
        Assert.True(match.Success, $"no series matching {series} in:\n{exposition}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Describe(SloStatus s) =>
        $"state {s.State}, reason {s.Reason}, events {s.Budget?.Events}, rates {string.Join(' ', s.BurnRates.Select(r => $"{r.Window}={r.Rate:0.##}"))}";
}
