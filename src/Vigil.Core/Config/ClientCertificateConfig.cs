namespace Vigil.Core.Config;

/// <summary>A client certificate for mutual TLS (<c>client_cert:</c>).</summary>
public sealed class ClientCertificateConfig
{
    /// <summary>Certificate file: PEM (with <c>key_file</c>) or PKCS#12/PFX; relative to the config file.</summary>
    [Mandatory]
    [NotEmpty]
    public string CertFile { get; set; } = string.Empty;

    /// <summary>PEM private key file, when <c>cert_file</c> is PEM without the key.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of the PFX file or encrypted key.</summary>
    [Secret]
    public string? Password { get; set; }
}
