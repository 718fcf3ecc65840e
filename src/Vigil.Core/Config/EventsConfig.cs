namespace Vigil.Core.Config;

/// <summary>The generic events API shaped like PagerDuty Events v2 (<c>events:</c>, <c>POST /api/v1/events</c>).</summary>
public sealed class EventsConfig
{
    /// <summary>Accept events.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How an event maps to a service and severity. Its labels are <c>source</c>, <c>component</c>,
    /// <c>group</c>, <c>class</c> and <c>severity</c> from the payload (<c>custom_details</c> goes on
    /// the timeline). The service label defaults to <c>component</c>.
    /// </summary>
    public SignalRouteConfig Route { get; set; } = new() { ServiceLabel = "component" };

    /// <summary>Routing key to service id, for senders that keep a PagerDuty-style integration key per service.</summary>
    [ReferenceTo("services")]
    public IReadOnlyDictionary<string, string> RoutingKeys { get; set; } = new Dictionary<string, string>();
}
