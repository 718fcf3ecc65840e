namespace Vigil.Core.Config;

/// <summary>A DNS check (<c>dns:</c>): resolve a name and compare the answers.</summary>
public sealed class DnsCheckConfig : IConfigValidatable
{
    /// <summary>Name to resolve.</summary>
    [Mandatory]
    [NotEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Record type to query.</summary>
    public DnsRecordType Type { get; set; } = DnsRecordType.A;

    /// <summary>Resolver as <c>host</c> or <c>host:port</c>; defaults to the system resolver.</summary>
    public string? Server { get; set; }

    /// <summary>Values that must all be among the answers (like an IP address); empty means any non-empty answer passes.</summary>
    public IReadOnlyList<string> Expected { get; set; } = [];

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Server is { Length: > 0 } server)
        {
            var host = server;
            var colon = server.LastIndexOf(':');
            if (colon > 0 && !server.EndsWith(']') && server.Count(c => c == ':') == 1)
            {
                host = server[..colon];
                if (!int.TryParse(server[(colon + 1)..], out var port) || port is < 1 or > 65535)
                {
                    context.Error(ConfigPath.Member(path, "server"), $"invalid resolver `{server}`: write host or host:port with a port from 1 to 65535, like 1.1.1.1:53");
                    return;
                }
            }

            if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
            {
                context.Error(ConfigPath.Member(path, "server"), $"invalid resolver `{server}`: write a host name or IP address, optionally with :port, like 1.1.1.1:53");
            }
        }
    }
}
