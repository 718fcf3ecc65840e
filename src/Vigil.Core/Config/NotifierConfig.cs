namespace Vigil.Core.Config;

/// <summary>
/// A notifier (an entry of <c>notifiers:</c>): one outbound channel. Set exactly one of
/// <c>webhook</c>, <c>slack</c>, <c>email</c> or <c>command</c>. Failed deliveries are retried with
/// backoff and every attempt is recorded in the delivery ledger.
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
