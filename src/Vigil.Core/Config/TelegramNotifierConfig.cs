namespace Vigil.Core.Config;

/// <summary>Telegram Bot API (<c>telegram:</c>): <c>sendMessage</c> to one chat, formatted as HTML.</summary>
public sealed class TelegramNotifierConfig : IConfigValidatable
{
    /// <summary>Bot token from @BotFather (<c>123456:ABC…</c>). It goes in the request path and is masked everywhere: write it as <c>${TELEGRAM_BOT_TOKEN}</c>.</summary>
    [Mandatory]
    [Secret]
    public string BotToken { get; set; } = string.Empty;

    /// <summary>Chat to post to: a numeric id (<c>-1001234567890</c> for a group or channel) or a public channel's <c>@name</c>.</summary>
    [Mandatory]
    public string ChatId { get; set; } = string.Empty;

    /// <summary>Bot API base URL; change it only for a local Bot API server (or a test receiver).</summary>
    [Url("https", "http")]
    public string ApiUrl { get; set; } = "https://api.telegram.org";

    /// <summary>Deliver resolves and tickets without a notification sound (pages always make one).</summary>
    public bool QuietResolves { get; set; } = true;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (ChatId.Length > 0 && !long.TryParse(ChatId, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
            && !(ChatId.StartsWith('@') && ChatId.Length > 1))
        {
            context.Error(ConfigPath.Member(path, "chat_id"), $"`chat_id` must be a numeric chat id (like -1001234567890) or a public channel's @name, not `{ConfigText.Token(ChatId)}`");
        }

        if (BotToken.Length > 0 && !BotToken.Contains(':', StringComparison.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "bot_token"), "`bot_token` does not look like a Telegram bot token (<bot id>:<secret>, as @BotFather shows it)");
        }
    }
}
