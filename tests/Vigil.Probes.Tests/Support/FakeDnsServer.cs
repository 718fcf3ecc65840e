using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Probes.Tests.Support;

/// <summary>
/// A tiny authoritative DNS responder on 127.0.0.1 (UDP) answering from a fixed table, so DNS
/// checks are tested without any real resolver. Names it does not know get NXDOMAIN; names listed
/// in <see cref="Silent"/> get no answer at all; <see cref="ServFail"/> names get SERVFAIL.
/// </summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    public const ushort TypeA = 1, TypeNs = 2, TypeCname = 5, TypeSoa = 6, TypePtr = 12, TypeMx = 15, TypeTxt = 16, TypeAaaa = 28, TypeSrv = 33, TypeCaa = 257;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(string Name, ushort Type), List<byte[]>> _records = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _loop;

    public FakeDnsServer()
    {
        _loop = LoopAsync();
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    public HashSet<string> Silent { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> ServFail { get; } = new(StringComparer.OrdinalIgnoreCase);

    public FakeDnsServer A(string name, string address) => Add(name, TypeA, IPAddress.Parse(address).GetAddressBytes());

    public FakeDnsServer Aaaa(string name, string address) => Add(name, TypeAaaa, IPAddress.Parse(address).GetAddressBytes());

    public FakeDnsServer Cname(string name, string target) => Add(name, TypeCname, EncodeName(target));

    public FakeDnsServer Ns(string name, string target) => Add(name, TypeNs, EncodeName(target));

    public FakeDnsServer Ptr(string name, string target) => Add(name, TypePtr, EncodeName(target));

    public FakeDnsServer Mx(string name, ushort preference, string exchange) => Add(name, TypeMx, [.. U16(preference), .. EncodeName(exchange)]);

    public FakeDnsServer Srv(string name, ushort priority, ushort weight, ushort port, string target) =>
        Add(name, TypeSrv, [.. U16(priority), .. U16(weight), .. U16(port), .. EncodeName(target)]);

    public FakeDnsServer Txt(string name, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return Add(name, TypeTxt, [(byte)bytes.Length, .. bytes]);
    }

    public FakeDnsServer Caa(string name, string tag, string value)
    {
        var t = Encoding.ASCII.GetBytes(tag);
        return Add(name, TypeCaa, [0, (byte)t.Length, .. t, .. Encoding.ASCII.GetBytes(value)]);
    }

    public FakeDnsServer Soa(string name, string mname, string rname, uint serial) =>
        Add(name, TypeSoa, [.. EncodeName(mname), .. EncodeName(rname), .. U32(serial), .. U32(3600), .. U32(600), .. U32(86400), .. U32(300)]);

    /// <summary>Makes the name exist (NOERROR) without records of other types.</summary>
    public FakeDnsServer Exists(string name)
    {
        _names.Add(name.TrimEnd('.'));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private FakeDnsServer Add(string name, ushort type, byte[] rdata)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        _names.Add(name);
        if (!_records.TryGetValue((name, type), out var list))
        {
            _records[(name, type)] = list = [];
        }

        list.Add(rdata);
        return this;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult packet;
            try
            {
                packet = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var reply = Answer(packet.Buffer);
            if (reply is not null)
            {
                await _udp.SendAsync(reply, packet.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12)
        {
            return null;
        }

        // Question: labels up to the zero byte, then type and class.
        var offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            var len = query[offset];
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, len));
            offset += len + 1;
        }

        var questionEnd = offset + 1 + 4;
        var name = string.Join('.', labels).ToLowerInvariant();
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset + 1));
        if (Silent.Contains(name))
        {
            return null;
        }

        var rcode = ServFail.Contains(name) ? 2 : _names.Contains(name) ? 0 : 3;
        var answers = rcode == 0 && _records.TryGetValue((name, type), out var list) ? list : [];

        var response = new List<byte>();
        response.AddRange(query.AsSpan(0, 2).ToArray());           // id
        var rd = (byte)(query[2] & 0x01);
        response.Add((byte)(0x84 | rd));                            // QR, AA, RD copied
        response.Add((byte)(0x80 | rcode));                         // RA, rcode
        response.AddRange(U16(1));                                  // qdcount
        response.AddRange(U16((ushort)answers.Count));              // ancount
        response.AddRange(U16(0));
        response.AddRange(U16(0));
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var rdata in answers)
        {
            response.AddRange([0xC0, 0x0C]);                        // pointer to the question name
            response.AddRange(U16(type));
            response.AddRange(U16(1));
            response.AddRange(U32(60));
            response.AddRange(U16((ushort)rdata.Length));
            response.AddRange(rdata);
        }

        return [.. response];
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }
}
