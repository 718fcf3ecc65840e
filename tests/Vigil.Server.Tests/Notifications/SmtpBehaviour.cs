namespace Vigil.Server.Tests.Notifications;

/// <summary>What the test SMTP server does.</summary>
internal sealed class SmtpBehaviour
{
    /// <summary>False: accept connections but never send the 220 greeting.</summary>
    public bool Greet { get; init; } = true;

    /// <summary>When set, AUTH PLAIN is offered and required before MAIL FROM.</summary>
    public (string User, string Password)? Credentials { get; init; }

    /// <summary>The full reply line for failed AUTH (user, password); default is a plain 535.</summary>
    public Func<string, string, string>? AuthFailureReply { get; init; }

    /// <summary>Returns the full reply line to reject an RCPT address, or null to accept it.</summary>
    public Func<string, string?>? RejectRecipient { get; init; }
}
