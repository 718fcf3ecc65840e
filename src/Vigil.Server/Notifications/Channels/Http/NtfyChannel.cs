using System.Net.Http.Headers;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// ntfy JSON publish: <c>POST {url}/</c> (the server root, so the topic stays out of the path) with
/// <c>{"topic","title","message","priority","tags","click"?,"actions"?}</c> and, with a
/// <c>token</c>, <c>Authorization: Bearer</c>. Pages use <c>page_priority</c> (default 5, urgent)
/// and the tag <c>rotating_light</c>; resolves and tickets use <c>notice_priority</c> (default 3)
/// and <c>white_check_mark</c> or <c>ticket</c>. The first link is the click action; links other
/// than the incident become <c>view</c> actions (ntfy shows at most three). ntfy answers <c>200</c>
/// with the stored message.
/// </summary>
internal sealed class NtfyChannel : HttpChannel<NtfyNotifierConfig>
{
    public override string Kind => "ntfy";

    protected override NtfyNotifierConfig? Select(NotifierConfig notifier) => notifier.Ntfy;

    protected override string Target(NtfyNotifierConfig config) => $"ntfy {DeliveryText.SafeUrl(config.Url)}";

    protected override IEnumerable<string> Secrets(NtfyNotifierConfig config) => [config.Topic, config.Token ?? ""];

    protected override string CredentialHint(NtfyNotifierConfig config) =>
        config.Token is { Length: > 0 } ? "check `token` and that it may write to the topic" : "the topic is protected: set `token` to an access token that may write to it";

    protected override HttpCall Build(NtfyNotifierConfig config, NotificationMessage m, TimeProvider time)
    {
        var request = HttpCall.PostJson(HttpCall.Join(config.Url, "/"), w =>
        {
            w.WriteStartObject();
            w.WriteString("topic", config.Topic);
            w.WriteString("title", ChannelText.Cap(ChannelText.Title(m) + " — " + ChannelText.State(m.Kind), 250));
            var message = (m.Service is { Length: > 0 } service ? $"service {service}\n" : "") + m.Summary;
            w.WriteString("message", ChannelText.Cap(message.Length > 0 ? message : ChannelText.State(m.Kind), 4000));
            w.WriteNumber("priority", m.Kind == NotificationKind.Trigger ? config.PagePriority : config.NoticePriority);
            w.WriteStartArray("tags");
            w.WriteStringValue(m.Kind switch
            {
                NotificationKind.Resolve => "white_check_mark",
                NotificationKind.Ticket => "ticket",
                _ => "rotating_light",
            });
            w.WriteStringValue(m.Severity);
            w.WriteEndArray();
            var links = ChannelText.Links(m);
            if (links.Count > 0)
            {
                w.WriteString("click", links[0].Url);
            }

            var actions = links.Skip(m.Url is { Length: > 0 } u && ChannelText.IsHttpUrl(u) ? 1 : 0).Take(3).ToList();
            if (actions.Count > 0)
            {
                w.WriteStartArray("actions");
                foreach (var link in actions)
                {
                    w.WriteStartObject();
                    w.WriteString("action", "view");
                    w.WriteString("label", link.Label);
                    w.WriteString("url", link.Url);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
        if (config.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return HttpCall.Send(request);
    }
}
