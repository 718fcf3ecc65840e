using System.Net.Http.Headers;
using System.Security;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// Twilio REST API with HTTP Basic auth (<c>account_sid:auth_token</c>), form-encoded, to the paged
/// person's <c>phone</c> or else the notifier's <c>to</c>:
/// <list type="bullet">
/// <item><c>sms</c>: <c>POST {api_url}/2010-04-01/Accounts/{sid}/Messages.json</c> with <c>To</c>,
/// <c>From</c>, <c>Body</c> (<c>Vigil P1 #12 Title — service api — triggered</c>, the summary and
/// the incident URL; resolves and tickets too).</item>
/// <item><c>voice</c>: <c>POST …/Calls.json</c> with <c>To</c>, <c>From</c> and
/// <c>Twiml</c> = <c>&lt;Response&gt;&lt;Say&gt;…&lt;/Say&gt;&lt;/Response&gt;</c> reading the page
/// twice. Pages only: a resolve or a ticket is not phoned (a success whose reply says
/// <c>not sent</c>).</item>
/// </list>
/// Twilio answers <c>201 Created</c>.
/// </summary>
internal sealed class TwilioChannel : HttpChannel<TwilioNotifierConfig>
{
    /// <summary>Twilio's limit on a message body, in characters.</summary>
    private const int MaxBody = 1600;

    public override string Kind => "twilio";

    protected override TwilioNotifierConfig? Select(NotifierConfig notifier) => notifier.Twilio;

    protected override string Target(TwilioNotifierConfig config) =>
        $"Twilio {(config.Mode == TwilioMode.Voice ? "voice" : "SMS")} {DeliveryText.SafeUrl(config.ApiUrl)}";

    protected override IEnumerable<string> Secrets(TwilioNotifierConfig config) => [config.AuthToken, BasicCredential(config)];

    protected override string CredentialHint(TwilioNotifierConfig config) => "check `account_sid` and `auth_token`";

    /// <summary>The SMS text.</summary>
    public static string SmsBody(NotificationMessage m)
    {
        var sb = new StringBuilder("Vigil ").Append(ChannelText.Headline(m));
        if (m.Summary is { Length: > 0 } summary)
        {
            sb.Append('\n').Append(summary);
        }

        if (m.Url is { Length: > 0 } url && ChannelText.IsHttpUrl(url))
        {
            sb.Append('\n').Append(url);
        }

        return ChannelText.Cap(sb.ToString(), MaxBody);
    }

    /// <summary>The TwiML of a call: the page read twice, with a pause between.</summary>
    public static string Twiml(NotificationMessage m)
    {
        var said = $"Vigil page. Severity {m.Severity}. Incident {m.IncidentId}: {m.Title}."
            + (m.Service is { Length: > 0 } service ? $" Service {service}." : "")
            + (m.Summary is { Length: > 0 } summary ? $" {ChannelText.Cap(summary, 500)}" : "");
        var x = SecurityElement.Escape(said);
        return $"<Response><Say>{x}</Say><Pause length=\"1\"/><Say>{x}</Say></Response>";
    }

    protected override HttpCall Build(TwilioNotifierConfig config, NotificationMessage m, TimeProvider time)
    {
        var voice = config.Mode == TwilioMode.Voice;
        if (voice && m.Kind != NotificationKind.Trigger)
        {
            return HttpCall.Skip($"a voice notifier phones pages only, not a {NotificationPayload.KindName(m.Kind)}");
        }

        var to = m.Recipient?.Phone is { Length: > 0 } phone ? phone : config.To;
        if (to is not { Length: > 0 })
        {
            return HttpCall.Fail(m.Recipient is { } r
                ? $"{r.Id} has no `phone` and the notifier has no `to`; add a phone number to the person"
                : "the notifier has no `to` number; set `to` or page people with a `phone`");
        }

        if (!TwilioNotifierConfig.IsE164(to))
        {
            return HttpCall.Fail($"`{to}` is not an E.164 phone number (like +15558675310)");
        }

        var resource = voice ? "Calls.json" : "Messages.json";
        var uri = HttpCall.Join(config.ApiUrl, $"/2010-04-01/Accounts/{Uri.EscapeDataString(config.AccountSid)}/{resource}");
        var request = HttpCall.PostForm(uri,
        [
            new("To", to),
            new("From", config.From),
            voice ? new("Twiml", Twiml(m)) : new("Body", SmsBody(m)),
        ]);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredential(config));
        return HttpCall.Send(request);
    }

    private static string BasicCredential(TwilioNotifierConfig config) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.AccountSid}:{config.AuthToken}"));
}
