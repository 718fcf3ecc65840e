namespace Vigil.Core.Config;

/// <summary>
/// ntfy push (<c>ntfy:</c>): a JSON publish to the server's root URL with topic, title, message,
/// priority, tags and a click link. Pages go out at <c>page_priority</c> (default 5, urgent).
/// </summary>
public sealed class NtfyNotifierConfig
{
    /// <summary>ntfy server base URL.</summary>
    [Url("https", "http")]
    public string Url { get; set; } = "https://ntfy.sh";

    /// <summary>Topic to publish to. On a public server anyone who knows the name can read it, so it is treated as a secret: write it as <c>${NTFY_TOPIC}</c>.</summary>
    [Mandatory]
    [Secret]
    public string Topic { get; set; } = string.Empty;

    /// <summary>Access token (<c>tk_…</c>) sent as <c>Authorization: Bearer</c>, for protected topics.</summary>
    [Secret]
    public string? Token { get; set; }

    /// <summary>Priority of pages: 1 (min) to 5 (urgent).</summary>
    [NumberRange(1, 5)]
    public int PagePriority { get; set; } = 5;

    /// <summary>Priority of resolve notices and tickets: 1 (min) to 5 (urgent).</summary>
    [NumberRange(1, 5)]
    public int NoticePriority { get; set; } = 3;
}
