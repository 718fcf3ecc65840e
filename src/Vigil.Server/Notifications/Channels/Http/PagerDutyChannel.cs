using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// PagerDuty Events API v2: <c>POST {api_url}/v2/enqueue</c> with
/// <c>{"routing_key","event_action","dedup_key",…}</c>. <c>dedup_key</c> is
/// <c>vigil:{installation}:incident:{id}</c>, so every page of one Vigil incident lands on one
/// PagerDuty alert. A page or a ticket is <c>trigger</c> with <c>payload</c>
/// (<c>summary</c>, <c>source</c>, <c>severity</c>, <c>component</c>?, <c>timestamp</c>,
/// <c>custom_details</c>), <c>client</c>, <c>client_url</c>? and <c>links</c>; a resolve is
/// <c>resolve</c> with the same <c>dedup_key</c> and nothing else. PagerDuty answers
/// <c>202 {"status":"success",…}</c>.
/// </summary>
internal sealed class PagerDutyChannel : HttpChannel<PagerDutyNotifierConfig>
{
    public override string Kind => "pagerduty";

    protected override PagerDutyNotifierConfig? Select(NotifierConfig notifier) => notifier.PagerDuty;

    protected override string Target(PagerDutyNotifierConfig config) => $"PagerDuty Events API {DeliveryText.SafeUrl(config.ApiUrl)}";

    protected override IEnumerable<string> Secrets(PagerDutyNotifierConfig config) => [config.RoutingKey];

    /// <summary>The dedup key of an incident: one PagerDuty alert per Vigil incident and installation.</summary>
    public static string DedupKey(NotificationMessage m) => ChannelText.Cap($"vigil:{m.Installation}:incident:{m.IncidentId}", 255);

    protected override HttpCall Build(PagerDutyNotifierConfig config, NotificationMessage m, TimeProvider time) =>
        HttpCall.Send(HttpCall.PostJson(HttpCall.Join(config.ApiUrl, "/v2/enqueue"), w =>
        {
            w.WriteStartObject();
            w.WriteString("routing_key", config.RoutingKey);
            w.WriteString("event_action", m.Kind == NotificationKind.Resolve ? "resolve" : "trigger");
            w.WriteString("dedup_key", DedupKey(m));
            if (m.Kind != NotificationKind.Resolve)
            {
                w.WriteStartObject("payload");
                w.WriteString("summary", ChannelText.Cap(ChannelText.Title(m), 1024));
                w.WriteString("source", m.Service is { Length: > 0 } service ? service : m.Installation);
                w.WriteString("severity", m.Kind == NotificationKind.Ticket ? config.TicketSeverity : config.PageSeverity);
                if (m.Service is { Length: > 0 } component)
                {
                    w.WriteString("component", component);
                }

                w.WriteString("timestamp", m.At.UtcDateTime);
                w.WriteStartObject("custom_details");
                w.WriteNumber("incident_id", m.IncidentId);
                w.WriteString("severity", m.Severity);
                w.WriteString("status", m.Status);
                w.WriteString("summary", m.Summary);
                w.WriteString("installation", m.Installation);
                w.WriteString("notification_id", m.Id);
                w.WriteEndObject();
                w.WriteEndObject();

                w.WriteString("client", "Vigil");
                var links = ChannelText.Links(m);
                if (m.Url is { Length: > 0 } url && ChannelText.IsHttpUrl(url))
                {
                    w.WriteString("client_url", url);
                }

                if (links.Count > 0)
                {
                    w.WriteStartArray("links");
                    foreach (var link in links)
                    {
                        w.WriteStartObject();
                        w.WriteString("href", link.Url);
                        w.WriteString("text", link.Label);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }
            }

            w.WriteEndObject();
        }));

    /// <summary>PagerDuty answers 400 for an unknown routing key (there is no 401): say what to check.</summary>
    public override DeliveryResult Interpret(NotifierConfig notifier, DeliveryResult result) =>
        result is { Success: false, HttpStatus: 400 } && result.Reply?.Contains("routing_key", StringComparison.OrdinalIgnoreCase) == true
            ? result with { Error = $"{result.Error}; check `routing_key` (the service's Events API v2 integration key)" }
            : result is { Success: false, HttpStatus: 429 }
                ? result with { Error = $"{result.Error}; PagerDuty is rate-limiting this routing key, the retry backs off" }
                : result;
}
