using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Mattermost incoming webhook: POSTs <c>{"text","username","channel"?}</c> where the text is
/// Markdown: <c>@channel :rotating_light: **[P1] [#12 Title](url)** — service api — triggered</c>,
/// the summary on the next line, then the links. Only pages carry the notifier's <c>mention</c>.
/// Mattermost answers <c>200 ok</c>. The hook key is the URL's last segment: results name only the origin.
/// </summary>
internal sealed class MattermostChannel : HttpChannel<MattermostNotifierConfig>
{
    public override string Kind => "mattermost";

    protected override MattermostNotifierConfig? Select(NotifierConfig notifier) => notifier.Mattermost;

    protected override string Target(MattermostNotifierConfig config) => $"Mattermost webhook {DeliveryText.OriginOnly(config.WebhookUrl)}";

    protected override IEnumerable<string> Secrets(MattermostNotifierConfig config) => [config.WebhookUrl];

    /// <summary>The Markdown text of a message.</summary>
    public static string Text(MattermostNotifierConfig config, NotificationMessage m)
    {
        var sb = new StringBuilder();
        if (m.Kind == NotificationKind.Trigger && config.Mention is { Length: > 0 } mention)
        {
            sb.Append(mention).Append(' ');
        }

        sb.Append(m.Kind switch
        {
            NotificationKind.Resolve => ":white_check_mark:",
            NotificationKind.Ticket => ":ticket:",
            _ => ":rotating_light:",
        });
        var incident = $"#{m.IncidentId} {Escape(m.Title)}";
        if (m.Url is { Length: > 0 } url && ChannelText.IsHttpUrl(url))
        {
            incident = $"[{incident}]({UrlPart(url)})";
        }

        sb.Append(" **[").Append(Escape(m.Severity)).Append("] ").Append(incident).Append("**");
        if (m.Service is { Length: > 0 } service)
        {
            sb.Append(" — service ").Append(Escape(service));
        }

        sb.Append(" — ").Append(ChannelText.State(m.Kind));
        if (m.Summary is { Length: > 0 } summary)
        {
            sb.Append('\n').Append(Escape(summary));
        }

        var extra = (m.Links ?? []).Where(l => ChannelText.IsHttpUrl(l.Url) && l.Label.Length > 0).ToList();
        if (extra.Count > 0)
        {
            sb.Append('\n').AppendJoin(" · ", extra.Select(l => $"[{Escape(l.Label)}]({UrlPart(l.Url)})"));
        }

        return sb.ToString();
    }

    protected override HttpCall Build(MattermostNotifierConfig config, NotificationMessage m, TimeProvider time) =>
        HttpCall.Send(HttpCall.PostJson(new Uri(config.WebhookUrl, UriKind.Absolute), w =>
        {
            w.WriteStartObject();
            w.WriteString("text", Text(config, m));
            w.WriteString("username", string.IsNullOrWhiteSpace(config.Username) ? "Vigil" : config.Username);
            if (config.Channel is { Length: > 0 } channel)
            {
                w.WriteString("channel", channel);
            }

            w.WriteEndObject();
        }));

    /// <summary>Backslash-escapes the Markdown characters that would restyle or relink a title.</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '`' or '~' or '<' or '>' or '#' or '|')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>A URL inside <c>(…)</c>: parentheses and spaces would end it early.</summary>
    private static string UrlPart(string url) =>
        url.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);
}
