using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Telegram Bot API: <c>POST {api_url}/bot{token}/sendMessage</c> with
/// <c>{"chat_id","text","parse_mode":"HTML","link_preview_options":{"is_disabled":true},"disable_notification"}</c>.
/// The text is <c>🚨 &lt;b&gt;[P1] #12 Title&lt;/b&gt; — service api — triggered</c>, the summary,
/// then the links as <c>&lt;a href&gt;</c>. Resolves and tickets are silent when <c>quiet_resolves</c>
/// is on. The token is in the request path, so results name only the API origin and the chat, and
/// the redactor masks the token (and <c>bot&lt;token&gt;</c>) everywhere.
/// </summary>
internal sealed class TelegramChannel : HttpChannel<TelegramNotifierConfig>
{
    /// <summary>Telegram's limit on a message's text, in characters.</summary>
    private const int MaxText = 4096;

    public override string Kind => "telegram";

    protected override TelegramNotifierConfig? Select(NotifierConfig notifier) => notifier.Telegram;

    protected override string Target(TelegramNotifierConfig config) => $"Telegram Bot API {DeliveryText.OriginOnly(config.ApiUrl)} (chat {config.ChatId})";

    protected override IEnumerable<string> Secrets(TelegramNotifierConfig config) => [config.BotToken, "bot" + config.BotToken];

    protected override string CredentialHint(TelegramNotifierConfig config) => "check `bot_token` (a revoked token answers 401) and that the bot is a member of the chat";

    /// <summary>The HTML text of a message.</summary>
    public static string Text(NotificationMessage m)
    {
        var sb = new StringBuilder();
        sb.Append(ChannelText.Icon(m.Kind)).Append(" <b>").Append(H(ChannelText.Title(m))).Append("</b>");
        if (m.Service is { Length: > 0 } service)
        {
            sb.Append(" — service ").Append(H(service));
        }

        sb.Append(" — ").Append(ChannelText.State(m.Kind));
        if (m.Summary is { Length: > 0 } summary)
        {
            sb.Append('\n').Append(H(ChannelText.Cap(summary, 3000)));
        }

        var links = ChannelText.Links(m);
        if (links.Count > 0)
        {
            sb.Append('\n').AppendJoin(" · ", links.Select(l => $"<a href=\"{H(l.Url)}\">{H(l.Label)}</a>"));
        }

        return sb.Length <= MaxText ? sb.ToString() : sb.ToString(0, MaxText);
    }

    protected override HttpCall Build(TelegramNotifierConfig config, NotificationMessage m, TimeProvider time) =>
        HttpCall.Send(HttpCall.PostJson(HttpCall.Join(config.ApiUrl, $"/bot{config.BotToken}/sendMessage"), w =>
        {
            w.WriteStartObject();
            if (long.TryParse(config.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chat))
            {
                w.WriteNumber("chat_id", chat);
            }
            else
            {
                w.WriteString("chat_id", config.ChatId);
            }

            w.WriteString("text", Text(m));
            w.WriteString("parse_mode", "HTML");
            w.WriteStartObject("link_preview_options");
            w.WriteBoolean("is_disabled", true);
            w.WriteEndObject();
            w.WriteBoolean("disable_notification", m.Kind != NotificationKind.Trigger && config.QuietResolves);
            w.WriteEndObject();
        }));

    private static string H(string text) => WebUtility.HtmlEncode(text);
}
