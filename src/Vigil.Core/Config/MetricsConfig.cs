namespace Vigil.Core.Config;

/// <summary>The Prometheus metrics endpoint (<c>metrics:</c>). Not active in this version: whatever these keys say, <c>/metrics</c> answers 404.</summary>
public sealed class MetricsConfig : IConfigValidatable
{
    /// <summary>Serve metrics (once metrics are active; not in this version).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>URL path of the endpoint.</summary>
    [NotEmpty]
    public string Path { get; set; } = "/metrics";

    /// <summary>Require an API token (viewer role) to scrape.</summary>
    public bool RequireToken { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (!Path.StartsWith('/') || Path.StartsWith("/api/", StringComparison.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "path"), $"`path` must start with `/` and not be under /api/ (like /metrics), got `{Path}`");
        }
    }
}
