namespace Vigil.Core.Config;

/// <summary>An HTTP(S) check (<c>http:</c>). All assertions that are set must hold for the check to pass.</summary>
public sealed class HttpCheckConfig
{
    /// <summary>URL to request.</summary>
    [Mandatory]
    [Url("http", "https")]
    public string Url { get; set; } = string.Empty;

    /// <summary>HTTP method.</summary>
    [OneOf("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")]
    public string Method { get; set; } = "GET";

    /// <summary>Request headers. Use <c>${VAR}</c> for tokens.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    /// <summary>Request body (for POST, PUT, PATCH).</summary>
    public string? Body { get; set; }

    /// <summary>Accepted status codes; empty means any 2xx.</summary>
    [NumberRange(100, 599)]
    public IReadOnlyList<int> ExpectStatus { get; set; } = [];

    /// <summary>The response body must contain this text.</summary>
    public string? BodyContains { get; set; }

    /// <summary>The response body must not contain this text.</summary>
    public string? BodyNotContains { get; set; }

    /// <summary>The response body must match this .NET regular expression.</summary>
    [RegexPattern]
    public string? BodyRegex { get; set; }

    /// <summary>Assertions on fields of a JSON response body.</summary>
    public IReadOnlyList<HttpJsonAssertion> Json { get; set; } = [];

    /// <summary>The check is a warning when the response takes longer than this (and critical at <c>timeout</c>).</summary>
    [Positive]
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Follow 3xx redirects (up to 10).</summary>
    public bool FollowRedirects { get; set; } = true;

    /// <summary>Verify the server's TLS certificate. Turn off only for self-signed endpoints you trust.</summary>
    public bool TlsVerify { get; set; } = true;

    /// <summary>Client certificate for mutual TLS.</summary>
    public ClientCertificateConfig? ClientCert { get; set; }

    /// <summary>Reuse connections between runs. Off by default so each run measures a fresh connect and TLS handshake.</summary>
    public bool ReuseConnections { get; set; }
}
