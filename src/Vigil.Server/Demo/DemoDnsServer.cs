using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Server.Demo;

/// <summary>
/// A tiny authoritative DNS responder on loopback UDP for the demo's <c>dns</c> check: names under
/// <c>demo.vigil</c> (and <c>localhost</c>) answer A 127.0.0.1; anything else is NXDOMAIN.
/// </summary>
public sealed class DemoDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _cts = new();

    private DemoDnsServer(UdpClient udp)
    {
        _udp = udp;
        _ = LoopAsync(_cts.Token);
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public static DemoDnsServer Start() => new(new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)));

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _udp.Dispose();
        _cts.Dispose();
    }

    /// <summary>Builds the answer to one query, or null for a packet that is not a query we can read.</summary>
    internal static byte[]? Answer(ReadOnlySpan<byte> query)
    {
        if (query.Length < 17)
        {
            return null;
        }

        var labels = new List<string>();
        var i = 12;
        while (i < query.Length && query[i] != 0)
        {
            var len = query[i];
            if (len > 63 || i + 1 + len > query.Length)
            {
                return null;
            }

            labels.Add(System.Text.Encoding.ASCII.GetString(query.Slice(i + 1, len)).ToLowerInvariant());
            i += 1 + len;
        }

        if (i + 5 > query.Length)
        {
            return null;
        }

        var questionEnd = i + 5;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query[(i + 1)..]);
        var name = string.Join('.', labels);
        var known = name == "localhost" || name == "demo.vigil" || name.EndsWith(".demo.vigil", StringComparison.Ordinal);
        var answerA = known && type == 1;

        var response = new List<byte>(query[..questionEnd].ToArray());
        response[2] = 0x85; // QR, AA, RD
        response[3] = (byte)(known ? 0x80 : 0x83); // RA; NXDOMAIN for unknown names
        response[4] = 0;
        response[5] = 1; // one question
        response[6] = 0;
        response[7] = (byte)(answerA ? 1 : 0);
        response[8] = response[9] = response[10] = response[11] = 0;
        if (answerA)
        {
            response.AddRange([0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 127, 0, 0, 1]);
        }

        return [.. response];
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var request = await _udp.ReceiveAsync(ct);
                if (Answer(request.Buffer) is { } answer)
                {
                    await _udp.SendAsync(answer, request.RemoteEndPoint, ct);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
