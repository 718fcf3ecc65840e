namespace Vigil.Core.Config;

/// <summary>
/// Microsoft Teams through a Workflows webhook (<c>teams:</c>, the "Post to a channel when a webhook
/// request is received" flow): each notification is an Adaptive Card 1.4 in a <c>message</c>
/// envelope. The old Office 365 connector URLs take a different payload and are not supported.
/// </summary>
public sealed class TeamsNotifierConfig
{
    /// <summary>The workflow's HTTP POST URL. Its query string carries the signature (<c>sig=</c>): write it as <c>${TEAMS_WEBHOOK_URL}</c>.</summary>
    [Mandatory]
    [Secret]
    [Url("https", "http")]
    public string WebhookUrl { get; set; } = string.Empty;
}
