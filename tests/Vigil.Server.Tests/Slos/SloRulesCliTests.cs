using System.Diagnostics;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Slos;

/// <summary>
/// <c>vigil slo rules ID</c> writes rules the real <c>/usr/bin/promtool</c> accepts (<c>check rules</c>), and
/// whose alerts fire the way Vigil's own burn-rate alerts do (<c>promtool test rules</c> on synthetic series).
/// </summary>
public sealed class SloRulesCliTests
{
    private const string Promtool = "/usr/bin/promtool";

    private const string Config = """
        vigil: { name: rules-test }
        services:
          - id: api
            checks: [{ id: health, tcp: { host: 127.0.0.1, port: 9 } }]
            slos:
              - id: api-requests
                objective: 99.5%
                window: 28d
                prometheus:
                  url: http://127.0.0.1:9090
                  good: http_requests_total{job="api",code!~"5.."}
                  total: http_requests_total{job="api"}
              - { id: api-up, objective: 99%, availability: {} }
        """;

    [Fact]
    public async Task Rules_PassPromtoolCheck_AndAlertLikeTheSreWorkbook()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: install Debian's prometheus package (.ci/run does); this test never skips.");
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);

        var run = await CliRun.RunAsync(["slo", "rules", "api-requests", "--file", "rules.yml"], dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("promtool check rules", run.Out, StringComparison.Ordinal);
        var check = await ExternalTool.RunAsync(Promtool, "check", "rules", dir.File("rules.yml"));
        Assert.True(check.Code == 0, $"promtool check rules failed:\n{check.Output}\n--- rules\n{await File.ReadAllTextAsync(dir.File("rules.yml"))}");
        Assert.Contains("SUCCESS: 17 rules found", check.Output, StringComparison.Ordinal);

        // 2 % errors burn 4x a 0.5 % budget: the two ticket alerts (3x, 1x). 10 % burns 20x: all four, pages
        // included. When errors stop, the 14.4x alert ends as soon as its 5m short window is clean.
        await File.WriteAllTextAsync(dir.File("test.yml"), """
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - { series: 'http_requests_total{job="api",code="200"}', values: '0+98x120' }
                  - { series: 'http_requests_total{job="api",code="500"}', values: '0+2x120' }
                promql_expr_test:
                  - expr: sum by (vigil_burn_rate, severity) (ALERTS{alertname="VigilSloErrorBudgetBurn",alertstate="firing"})
                    eval_time: 70m
                    exp_samples:
                      - { labels: '{vigil_burn_rate="3",severity="P3"}', value: 1 }
                      - { labels: '{vigil_burn_rate="1",severity="P3"}', value: 1 }
              - interval: 1m
                input_series:
                  - { series: 'http_requests_total{job="api",code="200"}', values: '0+90x70 6300+100x50' }
                  - { series: 'http_requests_total{job="api",code="500"}', values: '0+10x70 700+0x50' }
                promql_expr_test:
                  - expr: sum by (vigil_burn_rate, severity) (ALERTS{alertname="VigilSloErrorBudgetBurn",alertstate="firing"})
                    eval_time: 70m
                    exp_samples:
                      - { labels: '{vigil_burn_rate="14.4",severity="P1"}', value: 1 }
                      - { labels: '{vigil_burn_rate="6",severity="P1"}', value: 1 }
                      - { labels: '{vigil_burn_rate="3",severity="P3"}', value: 1 }
                      - { labels: '{vigil_burn_rate="1",severity="P3"}', value: 1 }
                  - expr: sum by (vigil_burn_rate, severity) (ALERTS{alertname="VigilSloErrorBudgetBurn",alertstate="firing"})
                    eval_time: 76m
                    exp_samples:
                      - { labels: '{vigil_burn_rate="6",severity="P1"}', value: 1 }
                      - { labels: '{vigil_burn_rate="3",severity="P3"}', value: 1 }
                      - { labels: '{vigil_burn_rate="1",severity="P3"}', value: 1 }
            """);
        var test = await ExternalTool.RunAsync(Promtool, "test", "rules", dir.File("test.yml"));
        Assert.True(test.Code == 0, $"promtool test rules failed:\n{test.Output}");
    }

    [Fact]
    public async Task Rules_ToStdout_AndClearErrorsForCheckHistoryAndUnknownSlos()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);

        var stdout = await CliRun.RunAsync(["slo", "rules", "api-requests"], dir.Path);
        var history = await CliRun.RunAsync(["slo", "rules", "api-up"], dir.Path);
        var unknown = await CliRun.RunAsync(["slo", "rules", "nope"], dir.Path);
        var json = await CliRun.RunAsync(["slo", "rules", "api-requests", "-o", "json"], dir.Path);

        Assert.True(stdout.ExitCode == 0, stdout.ToString());
        Assert.StartsWith("# Prometheus rules for the Vigil SLO api-requests", stdout.Out, StringComparison.Ordinal);
        Assert.Equal(2, history.ExitCode);
        Assert.Contains("need a `prometheus` SLI", history.Error, StringComparison.Ordinal);
        Assert.Contains("SLOs with a prometheus SLI: api-requests", history.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No SLO `nope`", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("api-requests, api-up", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, json.ExitCode);
        Assert.Contains("YAML, not JSON", json.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", history.Error + unknown.Error + json.Error, StringComparison.Ordinal);
    }
}
