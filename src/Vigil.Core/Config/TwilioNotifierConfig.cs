using System.Text.RegularExpressions;

namespace Vigil.Core.Config;

/// <summary>
/// Twilio SMS or voice (<c>twilio:</c>) over Twilio's REST API with HTTP Basic auth (account SID and
/// auth token). Sent to the paged person's <c>phone</c>, or to <c>to</c> when the notifier itself is
/// the target. A voice notifier calls for pages only; resolves and tickets are not phoned.
/// </summary>
public sealed partial class TwilioNotifierConfig : IConfigValidatable
{
    /// <summary>Account SID (<c>AC…</c>).</summary>
    [Mandatory]
    public string AccountSid { get; set; } = string.Empty;

    /// <summary>Auth token of the account. Write it as <c>${TWILIO_AUTH_TOKEN}</c>.</summary>
    [Mandatory]
    [Secret]
    public string AuthToken { get; set; } = string.Empty;

    /// <summary>Twilio number to send or call from, in E.164 (<c>+15017122661</c>).</summary>
    [Mandatory]
    public string From { get; set; } = string.Empty;

    /// <summary>Number (E.164) used when the notifier itself is the target rather than a person with a <c>phone</c>.</summary>
    public string? To { get; set; }

    /// <summary><c>sms</c> or <c>voice</c>.</summary>
    public TwilioMode Mode { get; set; } = TwilioMode.Sms;

    /// <summary>Twilio API base URL; change it only for a test receiver.</summary>
    [Url("https", "http")]
    public string ApiUrl { get; set; } = "https://api.twilio.com";

    /// <summary>True for an E.164 number: a plus and 8 to 15 digits.</summary>
    public static bool IsE164(string? number) => number is not null && E164().IsMatch(number);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (AccountSid.Length > 0 && !AccountSidPattern().IsMatch(AccountSid))
        {
            context.Error(ConfigPath.Member(path, "account_sid"), $"`account_sid` must be AC followed by 32 hex digits, as the Twilio console shows it, not `{ConfigText.Token(AccountSid)}`");
        }

        if (From.Length > 0 && !IsE164(From))
        {
            context.Error(ConfigPath.Member(path, "from"), $"`from` must be an E.164 number like +15017122661, not `{ConfigText.Token(From)}`");
        }

        if (To is { Length: > 0 } && !IsE164(To))
        {
            context.Error(ConfigPath.Member(path, "to"), $"`to` must be an E.164 number like +15558675310, not `{ConfigText.Token(To)}`");
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();
}
