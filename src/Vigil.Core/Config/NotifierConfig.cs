namespace Vigil.Core.Config;

/// <summary>
/// A notifier (an entry of <c>notifiers:</c>): one outbound channel. Set exactly one of
/// <c>webhook</c>, <c>slack</c>, <c>email</c>, <c>command</c> or one of the channels below. Failed deliveries are retried with
/// backoff and every attempt is recorded in the delivery ledger. The chat and push variants
/// (<c>teams</c>, <c>mattermost</c>, <c>discord</c>, <c>telegram</c>, <c>ntfy</c>, <c>pushover</c>,
/// <c>pagerduty</c>, <c>twilio</c>) are set the same way: exactly one variant per notifier.
/// </summary>
public sealed class NotifierConfig
{
    /// <summary>Id used in escalation targets (<c>notifier:ops-email</c>) and <c>notify_via</c>.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Generic JSON webhook, optionally HMAC-signed.</summary>
    [Variant]
    public WebhookNotifierConfig? Webhook { get; set; }

    /// <summary>Slack-compatible incoming webhook.</summary>
    [Variant]
    public SlackNotifierConfig? Slack { get; set; }

    /// <summary>SMTP e-mail.</summary>
    [Variant]
    public EmailNotifierConfig? Email { get; set; }

    /// <summary>A local command that receives the notification as JSON on stdin (for SMS gateways and the like).</summary>
    [Variant]
    public CommandNotifierConfig? Command { get; set; }

    /// <summary>Microsoft Teams Workflows webhook (Adaptive Card).</summary>
    [Variant]
    public TeamsNotifierConfig? Teams { get; set; }

    /// <summary>Mattermost incoming webhook.</summary>
    [Variant]
    public MattermostNotifierConfig? Mattermost { get; set; }

    /// <summary>Discord webhook (embed).</summary>
    [Variant]
    public DiscordNotifierConfig? Discord { get; set; }

    /// <summary>Telegram Bot API <c>sendMessage</c>.</summary>
    [Variant]
    public TelegramNotifierConfig? Telegram { get; set; }

    /// <summary>ntfy push with priority.</summary>
    [Variant]
    public NtfyNotifierConfig? Ntfy { get; set; }

    /// <summary>Pushover, with emergency priority for pages.</summary>
    [Variant]
    public PushoverNotifierConfig? Pushover { get; set; }

    /// <summary>PagerDuty Events API v2: forward incidents to a PagerDuty service.</summary>
    [Variant]
    [ConfigName("pagerduty")]
    public PagerDutyNotifierConfig? PagerDuty { get; set; }

    /// <summary>Twilio SMS or voice call.</summary>
    [Variant]
    public TwilioNotifierConfig? Twilio { get; set; }

    /// <summary>Only send notifications for incidents of these severities; empty means all.</summary>
    [ReferenceTo("severities")]
    public IReadOnlyList<string> Severities { get; set; } = [];

    /// <summary>Also notify when an incident resolves.</summary>
    public bool SendResolved { get; set; } = true;

    /// <summary>How long one delivery attempt may take.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry policy for failed deliveries.</summary>
    public RetryConfig Retry { get; set; } = new();
}
