namespace Vigil.Core.Config;

/// <summary>How Alertmanager alerts become signals (<c>route:</c>).</summary>
public sealed class AlertmanagerRouteConfig
{
    /// <summary>Alert label holding the severity.</summary>
    [NotEmpty]
    public string SeverityLabel { get; set; } = "severity";

    /// <summary>Label value to Vigil severity id, like <c>{ critical: P1, warning: P3 }</c>.</summary>
    [ReferenceTo("severities")]
    public IReadOnlyDictionary<string, string> Map { get; set; } = new Dictionary<string, string>();

    /// <summary>Severity for alerts whose label is missing or not in <c>map</c>; defaults to the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? DefaultSeverity { get; set; }

    /// <summary>Alert label holding the Vigil service id.</summary>
    [NotEmpty]
    public string ServiceLabel { get; set; } = "service";
}
