using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Discord webhook: POSTs to the webhook URL with <c>?wait=true</c> (Discord then answers
/// <c>200</c> with the stored message instead of <c>204</c>, so a 2xx means it was posted). The body
/// is <c>{"username","content"?,"embeds":[{"title","url"?,"description","color","fields","timestamp","footer"}]}</c>;
/// only pages carry the notifier's <c>mention</c> in <c>content</c> (text in embeds never pings).
/// The token is the URL's last segment: results name only the origin.
/// </summary>
internal sealed class DiscordChannel : HttpChannel<DiscordNotifierConfig>
{
    public const int PageColor = 0xE01E5A;
    public const int ResolveColor = 0x2EB67D;
    public const int TicketColor = 0xECB22E;

    public override string Kind => "discord";

    protected override DiscordNotifierConfig? Select(NotifierConfig notifier) => notifier.Discord;

    protected override string Target(DiscordNotifierConfig config) => $"Discord webhook {DeliveryText.OriginOnly(config.WebhookUrl)}";

    protected override IEnumerable<string> Secrets(DiscordNotifierConfig config) => [config.WebhookUrl];

    protected override string CredentialHint(DiscordNotifierConfig config) => "the webhook was deleted or its token is wrong; copy the URL again into `webhook_url`";

    /// <summary>The webhook URL with <c>wait=true</c> added to its query.</summary>
    public static Uri WaitUrl(string webhookUrl)
    {
        var uri = new Uri(webhookUrl, UriKind.Absolute);
        var builder = new UriBuilder(uri);
        var query = uri.Query.TrimStart('?');
        builder.Query = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Any(p => p.StartsWith("wait=", StringComparison.Ordinal))
            ? query
            : query.Length == 0 ? "wait=true" : query + "&wait=true";
        return builder.Uri;
    }

    protected override HttpCall Build(DiscordNotifierConfig config, NotificationMessage m, TimeProvider time) =>
        HttpCall.Send(HttpCall.PostJson(WaitUrl(config.WebhookUrl), w =>
        {
            w.WriteStartObject();
            w.WriteString("username", string.IsNullOrWhiteSpace(config.Username) ? "Vigil" : config.Username);
            if (m.Kind == NotificationKind.Trigger && config.Mention is { Length: > 0 } mention)
            {
                w.WriteString("content", mention);
            }

            w.WriteStartArray("embeds");
            w.WriteStartObject();
            w.WriteString("title", ChannelText.Cap($"{ChannelText.Icon(m.Kind)} {ChannelText.Title(m)} — {ChannelText.State(m.Kind)}", 256));
            if (m.Url is { Length: > 0 } url && ChannelText.IsHttpUrl(url))
            {
                w.WriteString("url", url);
            }

            var description = new StringBuilder(m.Summary);
            var extra = (m.Links ?? []).Where(l => ChannelText.IsHttpUrl(l.Url) && l.Label.Length > 0).ToList();
            if (extra.Count > 0)
            {
                description.Append("\n\n").AppendJoin(" · ", extra.Select(l => $"[{l.Label}]({l.Url})"));
            }

            if (description.Length > 0)
            {
                w.WriteString("description", ChannelText.Cap(description.ToString(), 4096));
            }

            w.WriteNumber("color", m.Kind switch
            {
                NotificationKind.Resolve => ResolveColor,
                NotificationKind.Ticket => TicketColor,
                _ => PageColor,
            });
            w.WriteStartArray("fields");
            Field(w, "Severity", m.Severity);
            if (m.Service is { Length: > 0 } service)
            {
                Field(w, "Service", service);
            }

            Field(w, "State", ChannelText.State(m.Kind));
            if (m.Recipient is { } r)
            {
                Field(w, "For", r.Name);
            }

            w.WriteEndArray();
            w.WriteString("timestamp", m.At.UtcDateTime);
            w.WriteStartObject("footer");
            w.WriteString("text", ChannelText.Cap($"Vigil · {m.Installation}", 2048));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));

    private static void Field(System.Text.Json.Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", ChannelText.Cap(value, 1024));
        w.WriteBoolean("inline", true);
        w.WriteEndObject();
    }
}
