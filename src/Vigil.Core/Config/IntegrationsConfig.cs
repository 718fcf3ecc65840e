namespace Vigil.Core.Config;

/// <summary>The <c>integrations:</c> section: inbound signal sources.</summary>
public sealed class IntegrationsConfig
{
    /// <summary>Alertmanager webhooks (<c>POST /api/v1/integrations/alertmanager</c>) and Prometheus alerts (<c>POST /api/v2/alerts</c>).</summary>
    public AlertmanagerConfig Alertmanager { get; set; } = new();

    /// <summary>The generic events API (<c>POST /api/v1/events</c>).</summary>
    public EventsConfig Events { get; set; } = new();
}
