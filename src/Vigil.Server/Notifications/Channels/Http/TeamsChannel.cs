using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Microsoft Teams Workflows webhook: POSTs <c>{"type":"message","attachments":[{"contentType":
/// "application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{AdaptiveCard 1.4}}]}</c>.
/// The card has a headline (red for a page, green for a resolve, amber for a ticket), the summary,
/// a fact set (state, severity, service, incident, recipient, installation) and one
/// <c>Action.OpenUrl</c> per link. Workflows answer <c>202 Accepted</c>. The URL's query string is
/// the signature: results name only its origin.
/// </summary>
internal sealed class TeamsChannel : HttpChannel<TeamsNotifierConfig>
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";

    public override string Kind => "teams";

    protected override TeamsNotifierConfig? Select(NotifierConfig notifier) => notifier.Teams;

    protected override string Target(TeamsNotifierConfig config) => $"Teams workflow {DeliveryText.OriginOnly(config.WebhookUrl)}";

    protected override IEnumerable<string> Secrets(TeamsNotifierConfig config) => [config.WebhookUrl];

    protected override string CredentialHint(TeamsNotifierConfig config) => "the workflow URL is wrong or its signature was revoked; copy it again from the workflow's trigger into `webhook_url`";

    protected override HttpCall Build(TeamsNotifierConfig config, NotificationMessage m, TimeProvider time) =>
        HttpCall.Send(HttpCall.PostJson(new Uri(config.WebhookUrl, UriKind.Absolute), w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteStartArray("attachments");
            w.WriteStartObject();
            w.WriteString("contentType", CardContentType);
            w.WriteNull("contentUrl");
            w.WriteStartObject("content");
            w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            w.WriteString("type", "AdaptiveCard");
            w.WriteString("version", "1.4");
            w.WriteStartArray("body");

            TextBlock(w, $"{ChannelText.Icon(m.Kind)} {ChannelText.Title(m)} — {ChannelText.State(m.Kind)}", headline: true, color: m.Kind switch
            {
                NotificationKind.Resolve => "Good",
                NotificationKind.Ticket => "Warning",
                _ => "Attention",
            });
            if (m.Summary is { Length: > 0 } summary)
            {
                TextBlock(w, summary, headline: false, color: null);
            }

            w.WriteStartObject();
            w.WriteString("type", "FactSet");
            w.WriteStartArray("facts");
            Fact(w, "State", ChannelText.State(m.Kind));
            Fact(w, "Severity", m.Severity);
            if (m.Service is { Length: > 0 } service)
            {
                Fact(w, "Service", service);
            }

            Fact(w, "Incident", $"#{m.IncidentId}");
            if (m.Recipient is { } r)
            {
                Fact(w, "For", r.Name);
            }

            Fact(w, "Installation", m.Installation);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();

            var links = ChannelText.Links(m);
            if (links.Count > 0)
            {
                w.WriteStartArray("actions");
                foreach (var link in links)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "Action.OpenUrl");
                    w.WriteString("title", link.Label);
                    w.WriteString("url", link.Url);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartObject("msteams");
            w.WriteString("width", "Full");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));

    private static void TextBlock(Utf8JsonWriter w, string text, bool headline, string? color)
    {
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("text", text);
        w.WriteBoolean("wrap", true);
        if (headline)
        {
            w.WriteString("weight", "Bolder");
            w.WriteString("size", "Medium");
        }

        if (color is not null)
        {
            w.WriteString("color", color);
        }

        w.WriteEndObject();
    }

    private static void Fact(Utf8JsonWriter w, string title, string value)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("value", value);
        w.WriteEndObject();
    }
}
