using System.Net.Sockets;

namespace Vigil.Probes.Network;

/// <summary>Resolve then connect, so resolution and connect failures stay distinguishable.</summary>
internal static class SocketConnector
{
    public static async Task<Socket> ConnectAsync(IHostResolver resolver, string host, int port, CancellationToken ct)
    {
        var addresses = await resolver.ResolveAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.NoData);
        }

        // A dual-mode socket (when the OS has IPv6) connects to IPv4 and IPv6 answers alike.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
