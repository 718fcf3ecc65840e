using System.Net;
using System.Net.Sockets;
using Vigil.Probes.Network;

namespace Vigil.Probes.Tests.Support;

/// <summary>
/// Resolves names from a fixed table so no test ever asks a real resolver; unknown names fail
/// like NXDOMAIN from getaddrinfo.
/// </summary>
internal sealed class TestResolver : IHostResolver
{
    private readonly Dictionary<string, IPAddress[]> _table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["localhost"] = [IPAddress.Loopback],
        ["app.test"] = [IPAddress.Loopback],
        ["dns.test"] = [IPAddress.Loopback],
    };

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return Task.FromResult(new[] { ip });
        }

        return _table.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
