namespace Vigil.Core.Config;

/// <summary>
/// Pushover (<c>pushover:</c>): <c>POST /1/messages.json</c>. Pages go out at <c>page_priority</c>,
/// by default 2 (emergency): Pushover repeats the alert every <c>emergency_retry</c> until someone
/// acknowledges it in the app or <c>emergency_expire</c> passes.
/// </summary>
public sealed class PushoverNotifierConfig : IConfigValidatable
{
    /// <summary>Application API token. Write it as <c>${PUSHOVER_TOKEN}</c>.</summary>
    [Mandatory]
    [Secret]
    public string Token { get; set; } = string.Empty;

    /// <summary>User or group key to deliver to. Write it as <c>${PUSHOVER_USER}</c>.</summary>
    [Mandatory]
    [Secret]
    public string User { get; set; } = string.Empty;

    /// <summary>Limit delivery to this device name of the user (empty means all devices).</summary>
    public string? Device { get; set; }

    /// <summary>Priority of pages: -2 (lowest) to 2 (emergency).</summary>
    [NumberRange(-2, 2)]
    public int PagePriority { get; set; } = 2;

    /// <summary>Priority of resolve notices and tickets: -2 (lowest) to 1 (high).</summary>
    [NumberRange(-2, 1)]
    public int NoticePriority { get; set; }

    /// <summary>How often Pushover repeats an emergency page until it is acknowledged (at least 30s).</summary>
    public TimeSpan EmergencyRetry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When Pushover stops repeating an unacknowledged emergency page (at most 3h).</summary>
    public TimeSpan EmergencyExpire { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Pushover API base URL; change it only for a test receiver.</summary>
    [Url("https", "http")]
    public string ApiUrl { get; set; } = "https://api.pushover.net";

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (EmergencyRetry < TimeSpan.FromSeconds(30))
        {
            context.Error(ConfigPath.Member(path, "emergency_retry"), $"`emergency_retry` must be at least 30s (Pushover's minimum), not {Duration.Format(EmergencyRetry)}");
        }

        if (EmergencyExpire <= TimeSpan.Zero || EmergencyExpire > TimeSpan.FromHours(3))
        {
            context.Error(ConfigPath.Member(path, "emergency_expire"), $"`emergency_expire` must be between 1s and 3h (Pushover's maximum), not {Duration.Format(EmergencyExpire)}");
        }
    }
}
