namespace Vigil.Core.Config;

/// <summary>
/// How an inbound signal's labels map to a Vigil service and severity (<c>route:</c>). A severity
/// label value is looked up in <c>map</c>; failing that, a value that is a severity id (like
/// <c>P1</c>) is taken as is, and the conventional names <c>critical</c>, <c>error</c>,
/// <c>warning</c> and <c>info</c> map to the first, second, third and fourth level; anything else
/// gets <c>default_severity</c>.
/// </summary>
public sealed class SignalRouteConfig
{
    /// <summary>Label holding the severity.</summary>
    [NotEmpty]
    public string SeverityLabel { get; set; } = "severity";

    /// <summary>Label value to Vigil severity id, like <c>{ critical: P1, warning: P3 }</c>.</summary>
    [ReferenceTo("severities")]
    public IReadOnlyDictionary<string, string> Map { get; set; } = new Dictionary<string, string>();

    /// <summary>Severity for signals whose label is missing or unknown; defaults to the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? DefaultSeverity { get; set; }

    /// <summary>Label holding the Vigil service id. A value that is not a configured service is kept as a label only.</summary>
    [NotEmpty]
    public string ServiceLabel { get; set; } = "service";
}
