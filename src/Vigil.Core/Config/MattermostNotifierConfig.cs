namespace Vigil.Core.Config;

/// <summary>Mattermost incoming webhook (<c>mattermost:</c>): a Markdown message, optionally to another channel.</summary>
public sealed class MattermostNotifierConfig
{
    /// <summary>Incoming webhook URL (<c>https://chat.example.com/hooks/&lt;key&gt;</c>). The key is a credential: write it as <c>${MATTERMOST_WEBHOOK_URL}</c>.</summary>
    [Mandatory]
    [Secret]
    [Url("https", "http")]
    public string WebhookUrl { get; set; } = string.Empty;

    /// <summary>Channel name to post to instead of the webhook's own (like <c>town-square</c>), when the webhook allows it.</summary>
    public string? Channel { get; set; }

    /// <summary>Sender name shown in the channel (needs "Enable integrations to override usernames").</summary>
    public string Username { get; set; } = "Vigil";

    /// <summary>Mention added to pages (like <c>@channel</c> or <c>@oncall-team</c>); a person's <c>slack</c> handle is not used here.</summary>
    public string? Mention { get; set; }
}
