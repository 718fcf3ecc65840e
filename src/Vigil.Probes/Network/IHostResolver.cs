using System.Net;

namespace Vigil.Probes.Network;

/// <summary>
/// Resolves a host name to addresses. A seam so tests can make names fail to resolve without
/// sending a query to a real resolver. Failures throw <see cref="System.Net.Sockets.SocketException"/>
/// with <see cref="System.Net.Sockets.SocketError.HostNotFound"/> (or NoData/TryAgain), as the system resolver does.
/// </summary>
internal interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}
