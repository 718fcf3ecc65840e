namespace Vigil.Core.Config;

/// <summary>The <c>integrations:</c> section: inbound signal sources.</summary>
public sealed class IntegrationsConfig
{
    /// <summary>The Prometheus Alertmanager webhook receiver (<c>POST /api/v1/integrations/alertmanager</c>).</summary>
    public AlertmanagerConfig? Alertmanager { get; set; }

    /// <summary>The generic events API (<c>POST /api/v1/events</c>).</summary>
    public EventsConfig Events { get; set; } = new();
}
