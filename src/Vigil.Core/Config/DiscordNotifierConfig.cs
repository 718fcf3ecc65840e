namespace Vigil.Core.Config;

/// <summary>Discord webhook (<c>discord:</c>): one embed per notification, posted with <c>?wait=true</c> so Discord confirms the message was stored.</summary>
public sealed class DiscordNotifierConfig
{
    /// <summary>Webhook URL (<c>https://discord.com/api/webhooks/&lt;id&gt;/&lt;token&gt;</c>). The token is a credential: write it as <c>${DISCORD_WEBHOOK_URL}</c>.</summary>
    [Mandatory]
    [Secret]
    [Url("https", "http")]
    public string WebhookUrl { get; set; } = string.Empty;

    /// <summary>Sender name shown in the channel.</summary>
    public string Username { get; set; } = "Vigil";

    /// <summary>Mention put in the message content of pages (like <c>&lt;@&amp;ROLE_ID&gt;</c> or <c>@here</c>); only role, user and @here/@everyone mentions written here ping.</summary>
    public string? Mention { get; set; }
}
