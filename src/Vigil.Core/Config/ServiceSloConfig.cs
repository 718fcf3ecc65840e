namespace Vigil.Core.Config;

/// <summary>
/// One service level objective (an entry of <c>services[].slos</c>): an objective over a window for
/// one SLI, with an error budget and multi-window burn-rate alerts that fire the signal
/// <c>slo/&lt;id&gt;</c>. Set exactly one SLI: <c>availability</c>, <c>latency</c> or <c>prometheus</c>.
/// See docs/slos.md.
/// </summary>
public sealed class ServiceSloConfig : IConfigValidatable
{
    /// <summary>Stable id, unique across all services: the signal is <c>slo/&lt;id&gt;</c>, and <c>vigil slo show ID</c> names it.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>What the SLO promises, in words, for reports and the status page.</summary>
    public string? Description { get; set; }

    /// <summary>Target share of good events over the window, above 0% and below 100%, like <c>99.9%</c>. The error budget is the rest.</summary>
    [Mandatory]
    public Percentage? Objective { get; set; }

    /// <summary>The window the objective is measured over: rolling <c>28d</c> or <c>30d</c> (any duration from 1m to 366d), or <c>calendar_month</c>.</summary>
    [DocDefault("30d")]
    public SloWindow Window { get; set; } = SloWindow.Default;

    /// <summary>Availability SLI: the share of ok probes, from check history.</summary>
    [Variant]
    public SloAvailabilityConfig? Availability { get; set; }

    /// <summary>Latency SLI: the share of ok probes no slower than a threshold, from check history.</summary>
    [Variant]
    public SloLatencyConfig? Latency { get; set; }

    /// <summary>Prometheus SLI: good and total counter selectors, queried from Prometheus every <c>slo_defaults.evaluate_every</c>; <c>vigil slo rules</c> exports it as Prometheus rules.</summary>
    [Variant]
    public SloPrometheusConfig? Prometheus { get; set; }

    /// <summary>Whether burn-rate alerts fire signals. When false the budget is still computed and the gate still reads it.</summary>
    public bool Alerting { get; set; } = true;

    /// <summary>This SLO's burn-rate alerts; empty means <c>slo_defaults.alerts</c>.</summary>
    public IReadOnlyList<BurnRateAlertConfig> Alerts { get; set; } = [];

    /// <summary>Severity of a firing page alert; default <c>slo_defaults.page_severity</c>.</summary>
    [ReferenceTo("severities")]
    public string? PageSeverity { get; set; }

    /// <summary>Severity of a firing ticket alert; default <c>slo_defaults.ticket_severity</c>.</summary>
    [ReferenceTo("severities")]
    public string? TicketSeverity { get; set; }

    /// <summary>Check ids the SLI reads (empty: every check of the service).</summary>
    internal IReadOnlyList<string> SliChecks => Availability?.Checks ?? Latency?.Checks ?? [];

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Objective is { Value: <= 0 or >= 100 })
        {
            context.Error(ConfigPath.Member(path, "objective"), "`objective` must be above 0% and below 100% (100% leaves no error budget); use something like 99.9%");
        }

        if (Prometheus is { } prom)
        {
            foreach (var (key, expression) in new[] { ("good", prom.Good), ("total", prom.Total) })
            {
                if (!string.IsNullOrWhiteSpace(expression) && Slos.PrometheusRules.SelectorProblem(expression) is { } problem)
                {
                    context.Error(ConfigPath.Member(ConfigPath.Member(path, "prometheus"), key),
                        $"`{key}` must be a counter selector like http_requests_total{{job=\"api\",code!~\"5..\"}}: {problem}");
                }
            }
        }

        if (Window.Rolling is { } rolling)
        {
            foreach (var (alert, i) in Alerts.Select((a, i) => (a, i)))
            {
                if (alert?.LongWindow is { } lw && lw > rolling)
                {
                    context.Error(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(path, "alerts"), i), "long_window"),
                        $"`long_window` ({Duration.Format(lw)}) is longer than the SLO's window ({Duration.Format(rolling)}); scale the alerts down with the window");
                }
            }
        }
    }
}
