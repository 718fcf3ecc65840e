namespace Vigil.Core.Config;

/// <summary>The Alertmanager webhook receiver (<c>alertmanager:</c>).</summary>
public sealed class AlertmanagerConfig
{
    /// <summary>Accept Alertmanager webhooks.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How alerts map to services and severities.</summary>
    public AlertmanagerRouteConfig Route { get; set; } = new();
}
