namespace Vigil.Core.Config;

/// <summary>
/// A Prometheus SLI (<c>prometheus:</c>): good and total events as counter selectors. Vigil asks
/// Prometheus (<c>/api/v1/query</c>) for their increase over each window every
/// <c>slo_defaults.evaluate_every</c>; <c>vigil slo rules</c> turns them into Prometheus recording and
/// alerting rules.
/// </summary>
public sealed class SloPrometheusConfig
{
    /// <summary>Base URL of the Prometheus server.</summary>
    [Mandatory]
    [Url("http", "https")]
    public string Url { get; set; } = string.Empty;

    /// <summary>Counter selector of good events (a metric name and/or label matchers, no function or range), like <c>http_requests_total{job="api",code!~"5.."}</c>; Vigil wraps it in <c>sum(increase(…[window]))</c>.</summary>
    [Mandatory]
    [NotEmpty]
    public string Good { get; set; } = string.Empty;

    /// <summary>Counter selector of all events, like <c>http_requests_total{job="api"}</c>.</summary>
    [Mandatory]
    [NotEmpty]
    public string Total { get; set; } = string.Empty;

    /// <summary>Bearer token sent to Prometheus.</summary>
    [Secret]
    public string? BearerToken { get; set; }
}
