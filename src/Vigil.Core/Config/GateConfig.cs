namespace Vigil.Core.Config;

/// <summary>The deploy gate (<c>gate:</c>): what makes <c>vigil gate --service S</c> refuse a deploy.</summary>
public sealed class GateConfig
{
    /// <summary>
    /// An open incident on the service at this severity or a more severe one blocks deploys.
    /// Default: any severity that pages (<c>page: true</c>).
    /// </summary>
    [ReferenceTo("severities")]
    public string? IncidentSeverity { get; set; }

    /// <summary>Also block when a service the deployed one depends on has such an open incident.</summary>
    public bool IncludeDependencies { get; set; } = true;
}
