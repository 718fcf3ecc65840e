using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Pushover: <c>POST {api_url}/1/messages.json</c>, form-encoded: <c>token</c>, <c>user</c>,
/// <c>device</c>?, <c>title</c>, <c>message</c>, <c>priority</c>, <c>timestamp</c>, <c>url</c> and
/// <c>url_title</c> (the incident link), and for priority 2 (emergency, the default for pages)
/// <c>retry</c> and <c>expire</c> in seconds. Resolves and tickets go at <c>notice_priority</c>.
/// Pushover answers <c>200 {"status":1,…}</c>; a rejection is a 4xx with <c>{"status":0,"errors":[…]}</c>.
/// </summary>
internal sealed class PushoverChannel : HttpChannel<PushoverNotifierConfig>
{
    public override string Kind => "pushover";

    protected override PushoverNotifierConfig? Select(NotifierConfig notifier) => notifier.Pushover;

    protected override string Target(PushoverNotifierConfig config) => $"Pushover {DeliveryText.SafeUrl(config.ApiUrl)}";

    protected override IEnumerable<string> Secrets(PushoverNotifierConfig config) => [config.Token, config.User];

    protected override string CredentialHint(PushoverNotifierConfig config) => "check `token` (the application's API token) and `user`";

    protected override HttpCall Build(PushoverNotifierConfig config, NotificationMessage m, TimeProvider time)
    {
        var priority = m.Kind == NotificationKind.Trigger ? config.PagePriority : config.NoticePriority;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("token", config.Token),
            new("user", config.User),
        };
        if (config.Device is { Length: > 0 } device)
        {
            fields.Add(new("device", device));
        }

        var message = (m.Service is { Length: > 0 } service ? $"service {service} — " : "") + ChannelText.State(m.Kind) + (m.Summary is { Length: > 0 } s ? "\n" + s : "");
        fields.Add(new("title", ChannelText.Cap($"{ChannelText.Icon(m.Kind)} {ChannelText.Title(m)}", 250)));
        fields.Add(new("message", ChannelText.Cap(message, 1024)));
        fields.Add(new("priority", priority.ToString(CultureInfo.InvariantCulture)));
        fields.Add(new("timestamp", m.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        if (ChannelText.Links(m) is [var first, ..])
        {
            fields.Add(new("url", first.Url));
            fields.Add(new("url_title", ChannelText.Cap(first.Label, 100)));
        }

        if (priority == 2)
        {
            fields.Add(new("retry", ((long)config.EmergencyRetry.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
            fields.Add(new("expire", ((long)config.EmergencyExpire.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        }

        return HttpCall.Send(HttpCall.PostForm(HttpCall.Join(config.ApiUrl, "/1/messages.json"), fields));
    }
}
