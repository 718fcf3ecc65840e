using Vigil.Core.Config;
using Vigil.Core.Slos;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Slos;

/// <summary><c>services[].slos</c>, <c>slo_defaults</c> and the deprecated <c>services[].slo</c>.</summary>
public sealed class SloConfigTests
{
    [Fact]
    public void Load_Slos_ResolveAgainstDefaultsAndTheService()
    {
        var config = SloFixtures.Load("""
                  - id: api-availability
                    objective: 99.9%
                    window: 28d
                    availability: { checks: [health] }
                  - id: api-latency
                    description: 95 % of probes under 200 ms
                    objective: 95%
                    window: calendar_month
                    latency: { threshold: 200ms }
                    page_severity: P0
                    alerts: [{ burn_rate: 10, long_window: 2h, short_window: 10m, action: ticket }]
            """);

        var slos = SloDefinitions.Build(config);

        Assert.Equal(["api-availability", "api-latency"], slos.Select(s => s.Id));
        var a = slos[0];
        Assert.Equal((SliKind.Availability, 0.999, TimeSpan.FromDays(28)), (a.Kind, Math.Round(a.Objective, 9), a.Window.Rolling!.Value));
        Assert.Equal(["api/health"], a.CheckKeys);
        Assert.Equal(["14.4x/1h/5m", "6x/6h/30m", "3x/1d/2h", "1x/3d/6h"], a.Alerts.Select(r => r.Name));
        Assert.Equal(("P1", "P3"), (a.PageSeverity, a.TicketSeverity));
        var l = slos[1];
        Assert.True(l.Window.IsCalendarMonth);
        Assert.Equal(["api/health", "api/home"], l.CheckKeys);
        Assert.Equal(TimeSpan.FromMilliseconds(200), l.LatencyThreshold);
        Assert.Equal(("P0", "P3"), (l.PageSeverity, l.TicketSeverity));
        Assert.Equal([new BurnRule(10, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10), BurnAction.Ticket)], l.Alerts);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_SeverityDefaults_FollowTheScheme_AndSloDefaults()
    {
        var config = SloFixtures.Load("      - { id: a, objective: 99%, availability: {} }", """
            severities:
              - { id: SEV1, ack_within: 15m, page: true }
              - { id: SEV2, ack_within: 1h, page: true }
              - { id: SEV3, ack_within: 1d, page: false }
            """);
        Assert.Equal(("SEV2", "SEV3"), SloDefinitions.DefaultSeverities(config));

        var set = SloFixtures.Load("      - { id: a, objective: 99%, availability: {} }", "slo_defaults: { page_severity: P0, ticket_severity: P2, evaluate_every: 30s }");
        Assert.Equal(("P0", "P2"), (SloDefinitions.Build(set)[0].PageSeverity, SloDefinitions.Build(set)[0].TicketSeverity));
        Assert.Equal(TimeSpan.FromSeconds(30), set.SloDefaults.EvaluateEvery);
    }

    [Fact]
    public void Load_ShortWindow_LeavesOutDefaultAlertsLongerThanIt()
    {
        var slo = SloFixtures.One("      - { id: demo, objective: 99%, window: 6h, availability: {} }");

        Assert.Equal(["14.4x/1h/5m", "6x/6h/30m"], slo.Alerts.Select(r => r.Name));
    }

    [Fact]
    public void Load_BadSlos_AreErrorsAtTheirLines()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: api
                checks: [{ id: health, tcp: { host: localhost, port: 80 } }]
                slos:
                  - id: a
                    objective: 100%
                    availability: { checks: [helth] }
                  - id: b
                    objective: 99%
                    window: 2 days
                    latency: {}
                  - id: c
                    objective: 99%
                  - id: d
                    objective: 99%
                    window: 1h
                    availability: {}
                    alerts: [{ burn_rate: 2, long_window: 2h, short_window: 3h }]
              - id: web
                slos:
                  - { id: a, objective: 99%, availability: {} }
            """, environment: TestEnvironment.Lookup);

        Assert.False(result.Success);
        var errors = result.Errors.Select(e => (e.Path, e.Line)).ToList();
        Assert.Contains(("services[0].slos[0].objective", 7), errors);
        Assert.Contains(("services[0].slos[0].availability.checks[0]", 8), errors);
        Assert.Contains(("services[0].slos[1].window", 11), errors);
        Assert.Contains(("services[0].slos[1].latency.threshold", 12), errors);
        Assert.Contains(("services[0].slos[2]", 13), errors);
        Assert.Contains(("services[0].slos[3].alerts[0].short_window", 19), errors);
        Assert.Contains(("services[0].slos[3].alerts[0].long_window", 19), errors);
        Assert.Contains(("services[1].slos[0].id", 22), errors);
        Assert.Contains(("services[1].slos[0].availability", 22), errors);
        var message = string.Join("\n", result.Errors);
        Assert.Contains("`objective` must be above 0% and below 100%", message, StringComparison.Ordinal);
        Assert.Contains("`helth` is not a check of service `api`; did you mean `health`?", message, StringComparison.Ordinal);
        Assert.Contains("or calendar_month", message, StringComparison.Ordinal);
        Assert.Contains("duplicate SLO id `a`", message, StringComparison.Ordinal);
        Assert.Contains("service `web` has no checks", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeprecatedSlo_IsReadAsSlos_WithAWarningNamingThem()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: web
                checks: [{ id: up, tcp: { host: localhost, port: 80 } }]
                slo: { availability: 99.5%, latency_p95: 500ms, window: 30d, checks: [up], burn_rate_alerts: false }
            """, environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("services[0].slo", 5), (warning.Path, warning.Line));
        Assert.Contains("`slo` is deprecated: it is read as `slos` entries `web-availability`, `web-latency-p95`", warning.Message, StringComparison.Ordinal);

        var slos = SloDefinitions.Build(result.Config!);
        Assert.Equal(["web-availability", "web-latency-p95"], slos.Select(s => s.Id));
        Assert.All(slos, s => Assert.True(s.Legacy && !s.Alerting));
        Assert.Equal((0.995, SliKind.Availability), (Math.Round(slos[0].Objective, 9), slos[0].Kind));
        Assert.Equal((0.95, SliKind.Latency, TimeSpan.FromMilliseconds(500)), (Math.Round(slos[1].Objective, 9), slos[1].Kind, slos[1].LatencyThreshold!.Value));
    }

    [Fact]
    public void Load_SloAndSlosTogether_IsAnError()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: web
                checks: [{ id: up, tcp: { host: localhost, port: 80 } }]
                slo: { availability: 99.5% }
                slos: [{ id: x, objective: 99%, availability: {} }]
            """, environment: TestEnvironment.Lookup);

        Assert.Contains(result.Errors, e => e.Path == "services[0].slo" && e.Line == 5 && e.Message.Contains("sets both `slo` (deprecated) and `slos`", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PrometheusSli_IsActiveWithNoWarning()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: api
                slos:
                  - id: api-requests
                    objective: 99.9%
                    prometheus:
                      url: http://localhost:9090
                      good: http_requests_total{code!~"5.."}
                      total: http_requests_total
            """, environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        var slo = SloDefinitions.Build(result.Config!)[0];
        Assert.Equal((SliKind.Prometheus, false), (slo.Kind, slo.FromHistory));
    }
}
