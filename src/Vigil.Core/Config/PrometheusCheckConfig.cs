namespace Vigil.Core.Config;

/// <summary>
/// A Prometheus query check (<c>prometheus:</c>). The query should return one value, which is
/// compared against the check's <c>warn_above</c>/<c>critical_above</c>/<c>warn_below</c>/<c>critical_below</c>.
/// Without thresholds, any returned sample means critical (like an alerting rule). Use the check's
/// <c>for:</c> to require the condition to last.
/// </summary>
public sealed class PrometheusCheckConfig
{
    /// <summary>Base URL of the Prometheus server (the HTTP API is under it).</summary>
    [Mandatory]
    [Url("http", "https")]
    public string Url { get; set; } = string.Empty;

    /// <summary>PromQL instant query.</summary>
    [Mandatory]
    [NotEmpty]
    public string Query { get; set; } = string.Empty;

    /// <summary>State when the query returns no samples.</summary>
    public NoDataState NoData { get; set; } = NoDataState.Unknown;

    /// <summary>Extra request headers (for example for a tenant id).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    /// <summary>Bearer token sent to Prometheus.</summary>
    [Secret]
    public string? BearerToken { get; set; }
}
