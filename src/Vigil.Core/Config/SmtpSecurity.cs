namespace Vigil.Core.Config;

/// <summary>Transport security for SMTP.</summary>
public enum SmtpSecurity
{
    /// <summary>Implicit TLS for <c>smtps://</c>; STARTTLS when the server offers it for <c>smtp://</c>.</summary>
    Auto,

    /// <summary>Require STARTTLS; fail if the server does not offer it.</summary>
    Starttls,

    /// <summary>Implicit TLS from the first byte.</summary>
    Tls,

    /// <summary>No encryption (only for a local relay).</summary>
    None,
}
