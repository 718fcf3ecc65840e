using System.Net;

namespace Vigil.Probes.Network;

/// <summary>The operating system's resolver (getaddrinfo), with IP literals short-circuited.</summary>
internal sealed class SystemHostResolver : IHostResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.AsSpan().Trim("[]"), out var ip))
        {
            return [ip];
        }

        return await System.Net.Dns.GetHostAddressesAsync(host, ct);
    }
}
