namespace Vigil.Core.Config;

/// <summary>
/// Alertmanager and Prometheus intake (<c>alertmanager:</c>): the webhook receiver
/// (<c>POST /api/v1/integrations/alertmanager</c>) and the Alertmanager API v2 alerts endpoint
/// (<c>POST /api/v2/alerts</c>) that Prometheus can send to directly.
/// </summary>
public sealed class AlertmanagerConfig
{
    /// <summary>Accept Alertmanager webhooks and Prometheus alerts.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How alert labels map to services and severities.</summary>
    public SignalRouteConfig Route { get; set; } = new();

    /// <summary>
    /// An alert posted to <c>/api/v2/alerts</c> without <c>endsAt</c> resolves when it has not been
    /// re-sent for this long (Alertmanager's <c>resolve_timeout</c>).
    /// </summary>
    [Positive]
    public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
