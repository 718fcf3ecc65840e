namespace Vigil.Core.Config;

/// <summary>A Slack-compatible incoming webhook (<c>slack:</c>); Mattermost and Rocket.Chat accept the same format.</summary>
public sealed class SlackNotifierConfig
{
    /// <summary>Incoming webhook URL. It contains a token: write it as <c>${SLACK_WEBHOOK_URL}</c>.</summary>
    [Mandatory]
    [Secret]
    [Url("https", "http")]
    public string WebhookUrl { get; set; } = string.Empty;

    /// <summary>Channel to post to, when the webhook allows overriding it (like <c>#ops</c>).</summary>
    public string? Channel { get; set; }

    /// <summary>Sender name shown in the channel.</summary>
    public string Username { get; set; } = "Vigil";

    /// <summary>Mention added to notifications of paging severities (like <c>@here</c> or <c>&lt;!subteam^ID&gt;</c>).</summary>
    public string? Mention { get; set; }
}
