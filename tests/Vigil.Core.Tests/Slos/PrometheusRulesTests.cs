using Vigil.Core.Config;
using Vigil.Core.Slos;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Slos;

/// <summary><see cref="PrometheusRules"/>: the rule file <c>vigil slo rules</c> prints (promtool runs on it in Server.Tests).</summary>
public sealed class PrometheusRulesTests
{
    private const string Requests = """
              - id: api-requests
                objective: 99.5%
                window: 28d
                prometheus:
                  url: http://prometheus:9090
                  good: http_requests_total{job="api",code!~"5.."}
                  total: http_requests_total{job="api"}
        """;

    [Fact]
    public void Generate_RecordsEveryWindow_AndTheFourDefaultAlerts()
    {
        var slo = SloFixtures.One(Requests);

        var yaml = PrometheusRules.Generate(slo);

        foreach (var w in new[] { "5m", "30m", "1h", "2h", "6h", "1d", "3d", "28d" })
        {
            Assert.Contains($"- record: slo:sli_error:ratio_rate{w}\n", yaml, StringComparison.Ordinal);
            Assert.Contains($"1 - (sum(rate(http_requests_total{{job=\"api\",code!~\"5..\"}}[{w}])) / sum(rate(http_requests_total{{job=\"api\"}}[{w}])))", yaml, StringComparison.Ordinal);
        }

        Assert.Equal(4, yaml.Split("- alert: VigilSloErrorBudgetBurn").Length - 1);
        // 14.4x over 1h and 5m pages at P1; 1x over 3d and 6h tickets at P3.
        Assert.Contains("""
                      slo:sli_error:ratio_rate1h{vigil_slo="api-requests"} >= (14.4 * 0.005)
                      and
                      slo:sli_error:ratio_rate5m{vigil_slo="api-requests"} >= (14.4 * 0.005)
                    labels:
                      severity: "P1"
            """.Replace("\r", string.Empty, StringComparison.Ordinal), yaml, StringComparison.Ordinal);
        Assert.Contains("""
                      slo:sli_error:ratio_rate3d{vigil_slo="api-requests"} >= (1 * 0.005)
                      and
                      slo:sli_error:ratio_rate6h{vigil_slo="api-requests"} >= (1 * 0.005)
                    labels:
                      severity: "P3"
                      vigil_slo: "api-requests"
                      vigil_service: "api"
                      vigil_action: "ticket"
            """.Replace("\r", string.Empty, StringComparison.Ordinal), yaml, StringComparison.Ordinal);
        Assert.Contains("vector(0.995)", yaml, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate28d{vigil_slo=\"api-requests\"} / 0.005", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_OwnAlertsAndSeverities_AreTheRules()
    {
        var slo = SloFixtures.One("""
                  - id: api-requests
                    objective: 99%
                    window: 2h
                    page_severity: P0
                    alerts: [{ burn_rate: 10, long_window: 90m, short_window: 7m, action: page }]
                    prometheus: { url: "http://prometheus:9090", good: 'ok_total', total: '{__name__="all_total"}' }
            """);

        var yaml = PrometheusRules.Generate(slo);

        Assert.Equal(["5m", "7m", "30m", "1h", "90m", "2h", "6h", "1d", "3d"], PrometheusRules.Windows(slo).Select(PrometheusRules.Range));
        Assert.Single(yaml.Split("- alert: ").Skip(1));
        Assert.Contains("slo:sli_error:ratio_rate90m{vigil_slo=\"api-requests\"} >= (10 * 0.01)", yaml, StringComparison.Ordinal);
        Assert.Contains("severity: \"P0\"", yaml, StringComparison.Ordinal);
        Assert.Contains("sum(rate({__name__=\"all_total\"}[7m]))", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_NoAlerting_RecordsOnly_CalendarMonthRecords30d()
    {
        var slo = SloFixtures.One("""
                  - id: api-requests
                    objective: 99.9%
                    window: calendar_month
                    alerting: false
                    prometheus: { url: "http://prometheus:9090", good: ok_total, total: all_total }
            """);

        var yaml = PrometheusRules.Generate(slo);

        Assert.DoesNotContain("- alert:", yaml, StringComparison.Ordinal);
        Assert.Contains("- record: slo:sli_error:ratio_rate30d", yaml, StringComparison.Ordinal);
        Assert.Contains("the budget period here is 30d", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_CheckHistorySlo_SaysRulesNeedAPrometheusSli()
    {
        var slo = SloFixtures.One("      - { id: api-up, objective: 99%, availability: {} }");

        var why = PrometheusRules.Unsupported(slo);

        Assert.NotNull(why);
        Assert.Contains("need a `prometheus` SLI", why, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PrometheusRules.Generate(slo));
    }

    [Theory]
    [InlineData("http_requests_total", null)]
    [InlineData("http_requests_total{job=\"api\",code!~\"5..\"}", null)]
    [InlineData("  job:requests:total { path=~\"/a{1,2}\" } ", null)]
    [InlineData("{__name__=~\"x_total\"}", null)]
    [InlineData("sum(rate(x_total[5m]))", "unexpected `(rate(x_total[5m]))`")]
    [InlineData("x_total[5m]", "unexpected `[5m]`")]
    [InlineData("x_total{job=\"a\"", "not closed")]
    [InlineData("x_total / y_total", "unexpected `/ y_total`")]
    [InlineData("5xx_total", "cannot start with a digit")]
    public void SelectorProblem_AcceptsSelectorsOnly(string expression, string? problem)
    {
        var got = PrometheusRules.SelectorProblem(expression);

        if (problem is null)
        {
            Assert.Null(got);
        }
        else
        {
            Assert.Contains(problem, got, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_PrometheusSliThatIsNotASelector_IsAnErrorAtItsLine()
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
                      good: sum(rate(http_requests_total{code!~"5.."}[5m]))
                      total: http_requests_total
            """, environment: TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("services[0].slos[0].prometheus.good", 9), (error.Path, error.Line));
        Assert.Contains("must be a counter selector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5 * 60, "5m")]
    [InlineData(90 * 60, "90m")]
    [InlineData(30 * 86400, "30d")]
    [InlineData(36 * 3600, "36h")]
    [InlineData(45, "45s")]
    public void Range_IsOneUnit(int seconds, string expected) =>
        Assert.Equal(expected, PrometheusRules.Range(TimeSpan.FromSeconds(seconds)));
}
