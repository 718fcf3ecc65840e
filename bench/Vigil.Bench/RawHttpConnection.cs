using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Bench;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client for load generation: it writes a prebuilt request and
/// reads just enough of the response to find its end (status line, Content-Length or chunked).
/// HttpClient costs about 60 µs of CPU per request, which on a 2-core machine running the server
/// too would cap the measurable rate; this costs a fraction of that, like wrk.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one whole request and returns the response's status code once the response has been read to its end.</summary>
    public async Task<int> SendAsync(byte[] request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = 0;
        while (sent < request.Length)
        {
            sent += await _socket.SendAsync(request.AsMemory(sent), SocketFlags.None);
        }

        // Status line and headers.
        int headerEnd;
        while ((headerEnd = IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        if (head.Length < 12 || !head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || !int.TryParse(head.AsSpan(9, 3), out var status))
        {
            throw new InvalidDataException($"not an HTTP/1.1 response: {head[..Math.Min(head.Length, 40)]}");
        }

        var length = 0L;
        var chunked = false;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        if (!chunked)
        {
            await SkipAsync(length);
            return status;
        }

        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync();
            }

            var size = Convert.ToInt64(Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim(), 16);
            _start = lineEnd + 2;
            await SkipAsync(size + 2); // the chunk and its CRLF; the last chunk (0) is followed by the final CRLF
            if (size == 0)
            {
                return status;
            }
        }
    }

    private int IndexOf(ReadOnlySpan<byte> marker)
    {
        var i = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
        return i < 0 ? -1 : _start + i;
    }

    private async Task SkipAsync(long count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async Task FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("response headers larger than 64 KiB");
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
