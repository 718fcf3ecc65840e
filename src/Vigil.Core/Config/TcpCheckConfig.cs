namespace Vigil.Core.Config;

/// <summary>A TCP check (<c>tcp:</c>): connect, optionally send text and expect a reply.</summary>
public sealed class TcpCheckConfig
{
    /// <summary>Host name or IP address.</summary>
    [Mandatory]
    [NotEmpty]
    public string Host { get; set; } = string.Empty;

    /// <summary>TCP port.</summary>
    [Mandatory]
    [NumberRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>Text to send after connecting (escape sequences such as \r\n are written in a double-quoted YAML string).</summary>
    public string? Send { get; set; }

    /// <summary>The reply (first bytes read) must contain this text.</summary>
    public string? Expect { get; set; }

    /// <summary>Wrap the connection in TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>Verify the server certificate when <c>tls</c> is on.</summary>
    public bool TlsVerify { get; set; } = true;
}
