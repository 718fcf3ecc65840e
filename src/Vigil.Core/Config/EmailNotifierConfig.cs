namespace Vigil.Core.Config;

/// <summary>
/// SMTP e-mail (<c>email:</c>). Sent to <c>to</c> when the notifier is an escalation target, and
/// to a person's <c>email</c> when that person is notified.
/// </summary>
public sealed class EmailNotifierConfig
{
    /// <summary>SMTP server as <c>smtp://host:port</c> or <c>smtps://host:port</c>.</summary>
    [Mandatory]
    [Url("smtp", "smtps")]
    public string Smtp { get; set; } = string.Empty;

    /// <summary>Sender address.</summary>
    [Mandatory]
    [Email]
    public string From { get; set; } = string.Empty;

    /// <summary>Recipients when the notifier itself is the target.</summary>
    [Email]
    public IReadOnlyList<string> To { get; set; } = [];

    /// <summary>SMTP user name.</summary>
    public string? Username { get; set; }

    /// <summary>SMTP password.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>Transport security: <c>auto</c>, <c>starttls</c>, <c>tls</c> or <c>none</c>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Text put before every subject line.</summary>
    public string SubjectPrefix { get; set; } = "[Vigil]";
}
