namespace Vigil.Core.Config;

/// <summary>How a Twilio notifier reaches the phone.</summary>
public enum TwilioMode
{
    /// <summary>A text message (<c>Messages.json</c>).</summary>
    Sms,

    /// <summary>A phone call that reads the page aloud (<c>Calls.json</c> with TwiML <c>&lt;Say&gt;</c>).</summary>
    Voice,
}
