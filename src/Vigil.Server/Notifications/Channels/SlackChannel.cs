using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): POSTs
/// <c>{"text", "username", "channel"?}</c>. The text is one headline such as
/// <c>:rotating_light: [P1] #12 Title — service api — triggered</c> (the incident link around
/// <c>#12 Title</c> when the incident has a URL), then the summary on a second line. A page
/// (<c>trigger</c>) mentions the recipient's Slack handle, or else the notifier's <c>mention</c>;
/// resolves and tickets mention the recipient's handle only (they do not page). Slack answers
/// <c>200 ok</c>. The webhook URL is a credential and never appears in results or logs.
/// </summary>
internal sealed class SlackChannel
{
    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IHttpClientFactory _clients;

    public SlackChannel(IHttpClientFactory clients)
    {
        _clients = clients;
    }

    public static string Target(SlackNotifierConfig config) => $"Slack webhook {DeliveryText.OriginOnly(config.WebhookUrl)}";

    /// <summary>The message text (Slack mrkdwn).</summary>
    public static string Text(SlackNotifierConfig config, NotificationMessage message)
    {
        var (icon, state) = message.Kind switch
        {
            NotificationKind.Resolve => (":white_check_mark:", "resolved"),
            NotificationKind.Ticket => (":ticket:", "ticket (no page)"),
            _ => (":rotating_light:", "triggered"),
        };

        var mention = message.Recipient?.Slack is { Length: > 0 } handle ? handle
            : message.Kind == NotificationKind.Trigger && config.Mention is { Length: > 0 } m ? m
            : null;

        var incident = $"#{message.IncidentId} {Escape(message.Title)}";
        if (message.Url is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            // Slack link syntax: <url|label>; '|' and '>' in the URL would end it early.
            incident = $"<{url.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}|{incident}>";
        }

        var sb = new StringBuilder();
        if (mention is not null)
        {
            sb.Append(mention).Append(' ');
        }

        sb.Append(icon).Append(" [").Append(Escape(message.Severity)).Append("] ").Append(incident);
        if (message.Service is { Length: > 0 } service)
        {
            sb.Append(" — service ").Append(Escape(service));
        }

        sb.Append(" — ").Append(state);
        if (message.Summary is { Length: > 0 } summary)
        {
            sb.Append('\n').Append(Escape(summary));
        }

        // One-click links (acknowledge, open in the console) on their own line, as Slack links.
        var links = (message.Links ?? []).Where(l => l.Label.Length > 0 && Uri.TryCreate(l.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)).ToList();
        if (links.Count > 0)
        {
            sb.Append('\n').AppendJoin(" · ", links.Select(l => $"<{l.Url.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}|{Escape(l.Label)}>"));
        }

        return sb.ToString();
    }

    public async Task<DeliveryResult> SendAsync(SlackNotifierConfig config, NotificationMessage message, CancellationToken ct)
    {
        var target = Target(config);
        if (!Uri.TryCreate(config.WebhookUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return DeliveryResult.Failed($"{target}: `webhook_url` must be an absolute https:// URL", TimeSpan.Zero);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(Body(config, message)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd(NotificationChannels.UserAgent);
        return await HttpDelivery.SendAsync(_clients.CreateClient(NotificationChannels.HttpClientName), request, target, ct);
    }

    private static byte[] Body(SlackNotifierConfig config, NotificationMessage message)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, _writerOptions))
        {
            w.WriteStartObject();
            w.WriteString("text", Text(config, message));
            w.WriteString("username", string.IsNullOrWhiteSpace(config.Username) ? "Vigil" : config.Username);
            if (config.Channel is { Length: > 0 } channel)
            {
                w.WriteString("channel", channel);
            }

            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Slack's three control characters; everything else is literal text.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
