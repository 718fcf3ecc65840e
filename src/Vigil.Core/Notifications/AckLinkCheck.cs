namespace Vigil.Core.Notifications;

/// <summary>The outcome of reading an acknowledge link's token, before the store is asked anything.</summary>
public enum AckLinkCheck
{
    /// <summary>Signed by this installation and not expired.</summary>
    Valid,

    /// <summary>Not a token Vigil writes: cut short, extra characters, not base64url, fields missing.</summary>
    Malformed,

    /// <summary>Well-formed, but the signature does not match: altered, or minted with another key.</summary>
    BadSignature,

    /// <summary>Signed by this installation, but past its expiry.</summary>
    Expired,
}
