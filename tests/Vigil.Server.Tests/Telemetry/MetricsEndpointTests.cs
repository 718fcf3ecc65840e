using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Telemetry;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Telemetry;

/// <summary>The Prometheus <c>/metrics</c> endpoint: format, what it exports, who may scrape it and where.</summary>
public sealed class MetricsEndpointTests
{
    private const string Config = """
        vigil: { name: test }
        services:
          - id: web
            name: Web
        """;

    [Fact]
    public async Task Metrics_Default_ServesPrometheusTextWithoutAToken()
    {
        await using var server = await TestServer.StartAsync(Config);
        using var admin = server.Admin();
        (await admin.PostJsonAsync(Intake.Events, Trigger("metrics-test-dedup-4711", "critical"))).EnsureSuccessStatusCode();
        var rejected = await admin.PostJsonAsync(Intake.Events, new JsonObject { ["event_action"] = "explode" });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);

        using var anonymous = server.Client();
        var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE vigil_signals_total counter", text, StringComparison.Ordinal);
        Assert.Matches("""vigil_signals_total\{[^}]*source="events"[^}]*\} [1-9]""", text);
        Assert.Matches("""vigil_intake_requests_total\{[^}]*integration="events"[^}]*outcome="accepted"[^}]*\} [1-9]""", text);
        Assert.Matches("""vigil_intake_requests_total\{[^}]*integration="events"[^}]*outcome="rejected"[^}]*\} [1-9]""", text);
        Assert.Matches("""vigil_build_info\{[^}]*version="[^"]+"[^}]*\} 1""", text);
        Assert.Matches("""vigil_checks\{[^}]*state="ok"[^}]*\} """, text);
        Assert.Contains("# TYPE vigil_store_commit_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("vigil_store_batch_size_bucket{", text, StringComparison.Ordinal);
        // Bounded labels: no dedup keys, incident ids or URLs.
        Assert.DoesNotContain("metrics-test-dedup-4711", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OpenIncidents_CountedBySeverityOnceCommitted()
    {
        await using var server = await TestServer.StartAsync(Config);
        using var admin = server.Admin();
        (await admin.PostJsonAsync(Intake.Events, Trigger("open-by-severity", "critical"))).EnsureSuccessStatusCode();
        var severity = (await admin.IncidentsAsync()).Single().Severity;
        using var anonymous = server.Client();
        // The sampler counts after each incident commit; a sweep now makes the read deterministic.
        await server.App.Services.GetRequiredService<TelemetrySampler>().SweepAsync(CancellationToken.None);

        var text = await anonymous.GetStringAsync("/metrics");

        // At least this one: servers of other tests running at the same time in this process add theirs (one meter per process).
        Assert.Matches($$"""vigil_incidents_open\{[^}]*severity="{{severity}}"[^}]*\} [1-9]""", text);
        Assert.Contains("# TYPE vigil_incidents_open gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RequireToken_401WithoutAToken_200ForAViewer()
    {
        await using var server = await TestServer.StartAsync(Config + """

            telemetry:
              metrics: { require_token: true }
            """);
        var viewer = await server.CreateTokenAsync("scraper", "viewer");

        using var anonymous = server.Client();
        var refused = await anonymous.GetAsync("/metrics");
        using var scraper = server.Client(viewer);
        var allowed = await scraper.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("vigil_build_info", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OwnListenAddress_ServedOnlyThere()
    {
        await using var server = await TestServer.StartAsync(Config + """

            telemetry:
              metrics: { listen: "http://127.0.0.1:0", path: /internal/metrics }
            """);
        var address = server.App.Services.GetRequiredService<MetricsAddress>().Address;
        Assert.NotNull(address);
        Assert.NotEqual(server.Address.Port, address.Port);
        using var side = new HttpClient { BaseAddress = address };
        using var main = server.Client();

        var scraped = await side.GetAsync("/internal/metrics");
        var onMain = await main.GetAsync("/internal/metrics");
        var apiOnSide = await side.GetAsync("/api/v1/status");

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("vigil_build_info", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnSide.StatusCode);
    }

    [Fact]
    public async Task Metrics_Disabled_404()
    {
        await using var server = await TestServer.StartAsync(Config + """

            telemetry:
              metrics: { enabled: false }
            """);
        using var anonymous = server.Client();

        var response = await anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static JsonObject Trigger(string dedupKey, string severity) => new()
    {
        ["event_action"] = "trigger",
        ["dedup_key"] = dedupKey,
        ["payload"] = new JsonObject { ["summary"] = "disk full on db-1", ["source"] = "monitor-1", ["severity"] = severity, ["component"] = "web" },
    };
}
