namespace Vigil.Core.Config;

/// <summary>
/// A generic JSON webhook (<c>webhook:</c>). With <c>secret</c> set, each request carries an
/// <c>X-Vigil-Signature: sha256=&lt;hex&gt;</c> header, the HMAC-SHA256 of the body.
/// </summary>
public sealed class WebhookNotifierConfig
{
    /// <summary>URL to POST the notification to.</summary>
    [Mandatory]
    [Url("http", "https")]
    public string Url { get; set; } = string.Empty;

    /// <summary>HMAC key for the signature header.</summary>
    [Secret]
    public string? Secret { get; set; }

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    /// <summary>Verify the receiver's TLS certificate.</summary>
    public bool TlsVerify { get; set; } = true;
}
