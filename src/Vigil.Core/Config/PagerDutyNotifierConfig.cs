namespace Vigil.Core.Config;

/// <summary>
/// PagerDuty Events API v2 (<c>pagerduty:</c>): forwards each incident to a PagerDuty service
/// (<c>POST /v2/enqueue</c>) with <c>dedup_key</c> = the Vigil incident, so pages of one incident
/// become one PagerDuty alert and Vigil's resolve resolves it. For teams moving between the two.
/// </summary>
public sealed class PagerDutyNotifierConfig
{
    /// <summary>The integration key of the service's "Events API v2" integration. Write it as <c>${PAGERDUTY_ROUTING_KEY}</c>.</summary>
    [Mandatory]
    [Secret]
    public string RoutingKey { get; set; } = string.Empty;

    /// <summary>PagerDuty severity of pages: <c>critical</c>, <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    [OneOf("critical", "error", "warning", "info")]
    public string PageSeverity { get; set; } = "critical";

    /// <summary>PagerDuty severity of tickets (severities that do not page).</summary>
    [OneOf("critical", "error", "warning", "info")]
    public string TicketSeverity { get; set; } = "warning";

    /// <summary>Events API base URL (use <c>https://events.eu.pagerduty.com</c> for an EU account).</summary>
    [Url("https", "http")]
    public string ApiUrl { get; set; } = "https://events.pagerduty.com";
}
