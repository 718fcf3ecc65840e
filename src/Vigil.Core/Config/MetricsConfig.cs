namespace Vigil.Core.Config;

/// <summary>The Prometheus metrics endpoint (<c>metrics:</c>): Vigil's own metrics in the Prometheus text exposition format.</summary>
public sealed class MetricsConfig : IConfigValidatable
{
    /// <summary>Serve the endpoint. Off: the path answers 404 (OTLP metrics export, if configured, still runs).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>URL path of the endpoint.</summary>
    [NotEmpty]
    public string Path { get; set; } = "/metrics";

    /// <summary>Require an API token (viewer role or higher) to scrape. Off by default: the metrics carry no ids, names or URLs.</summary>
    public bool RequireToken { get; set; }

    /// <summary>
    /// Serve the endpoint on its own address (like <c>http://127.0.0.1:9464</c>) instead of <c>vigil.listen</c>; that address
    /// serves nothing else, and <c>vigil.listen</c> then has no metrics path. Unset: on <c>vigil.listen</c>.
    /// </summary>
    [Url("http", "https")]
    public string? Listen { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (!Path.StartsWith('/') || Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "path"), $"`path` must start with `/` and not be under /api/ (like /metrics), got `{Path}`");
        }
    }
}
