namespace Vigil.Core.Config;

/// <summary>A TLS certificate expiry check (<c>tls:</c>).</summary>
public sealed class TlsCheckConfig : IConfigValidatable
{
    /// <summary>Host to connect to.</summary>
    [Mandatory]
    [NotEmpty]
    public string Host { get; set; } = string.Empty;

    /// <summary>Port to connect to.</summary>
    [NumberRange(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>Server name (SNI) to ask for; defaults to <c>host</c>.</summary>
    public string? ServerName { get; set; }

    /// <summary>Warning when the certificate expires in fewer days than this.</summary>
    [NumberRange(0, 3650)]
    public int WarnDays { get; set; } = 30;

    /// <summary>Critical when the certificate expires in fewer days than this; must be less than <c>warn_days</c>.</summary>
    [NumberRange(0, 3650)]
    public int CriticalDays { get; set; } = 7;

    /// <summary>Also fail when the chain does not verify (untrusted or wrong host name).</summary>
    public bool TlsVerify { get; set; } = true;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (WarnDays <= CriticalDays)
        {
            context.Error(ConfigPath.Member(path, "warn_days"), $"`warn_days` ({WarnDays}) must be greater than `critical_days` ({CriticalDays}): the warning should come first");
        }
    }
}
