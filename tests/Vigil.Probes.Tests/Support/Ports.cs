using System.Net;
using System.Net.Sockets;

namespace Vigil.Probes.Tests.Support;

internal static class Ports
{
    /// <summary>A loopback port nobody listens on (bound, read, released).</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
