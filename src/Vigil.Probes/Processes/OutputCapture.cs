using System.Text;

namespace Vigil.Probes.Processes;

/// <summary>Keeps the first and last bytes of a stream up to a cap, and keeps draining so the writer never blocks.</summary>
internal sealed class OutputCapture
{
    private readonly Lock _lock = new();
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headCount;
    private int _tailStart;
    private int _tailCount;
    private long _total;

    public OutputCapture(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        _head = new byte[maxBytes / 2];
        _tail = new byte[maxBytes - _head.Length];
    }

    public async Task PumpAsync(Stream stream, Action<ReadOnlyMemory<byte>>? observer = null)
    {
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                Append(buffer.AsSpan(0, n));
                observer?.Invoke(buffer.AsMemory(0, n));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe was closed under us after a kill; what was read so far is kept.
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _total += data.Length;
            var toHead = Math.Min(data.Length, _head.Length - _headCount);
            data[..toHead].CopyTo(_head.AsSpan(_headCount));
            _headCount += toHead;
            data = data[toHead..];
            if (data.Length >= _tail.Length)
            {
                data[^_tail.Length..].CopyTo(_tail);
                _tailStart = 0;
                _tailCount = _tail.Length;
                return;
            }

            foreach (var b in data)
            {
                var index = (_tailStart + _tailCount) % _tail.Length;
                _tail[index] = b;
                if (_tailCount < _tail.Length)
                {
                    _tailCount++;
                }
                else
                {
                    _tailStart = (_tailStart + 1) % _tail.Length;
                }
            }
        }
    }

    public CapturedOutput ToCaptured()
    {
        lock (_lock)
        {
            if (_total == 0)
            {
                return CapturedOutput.Empty;
            }

            var tail = new byte[_tailCount];
            for (var i = 0; i < _tailCount; i++)
            {
                tail[i] = _tail[(_tailStart + i) % _tail.Length];
            }

            var omitted = _total - _headCount - _tailCount;
            var utf8 = Encoding.UTF8;
            if (omitted == 0)
            {
                return new CapturedOutput(utf8.GetString([.. _head.AsSpan(0, _headCount), .. tail]), _total, false);
            }

            var text = string.Concat(utf8.GetString(_head, 0, _headCount), $"\n[… {omitted} bytes omitted …]\n", utf8.GetString(tail));
            return new CapturedOutput(text, _total, true);
        }
    }
}
