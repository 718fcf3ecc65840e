using System.Text;
using Vigil.Core.Runbooks;

namespace Vigil.Server.Runbooks;

/// <summary>
/// A step's output as it arrives: decoded, split into lines, redacted, handed on line by line for live
/// streaming, and kept up to a cap — the first half and the last half of the cap, with a visible marker
/// for what was dropped between, because the end of a failing step's output is what matters most.
/// </summary>
internal sealed class StepOutput(OutputRedactor redactor, long limit, Action<string> onLine)
{
    /// <summary>A line longer than this without a newline is handed on in pieces.</summary>
    private const int MaxLine = 8192;

    private readonly Lock _lock = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _partial = new();
    private readonly StringBuilder _head = new();
    private readonly Queue<string> _tail = new();
    private long _headBytes;
    private long _tailBytes;
    private long _omitted;

    /// <summary>Bytes the process wrote.</summary>
    public long TotalBytes { get; private set; }

    public bool Truncated => _omitted > 0;

    public void Write(ReadOnlyMemory<byte> chunk)
    {
        lock (_lock)
        {
            TotalBytes += chunk.Length;
            var chars = new char[_decoder.GetCharCount(chunk.Span, flush: false)];
            _decoder.GetChars(chunk.Span, chars, flush: false);
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    EmitLine();
                }
                else if (c != '\r')
                {
                    _partial.Append(c);
                    if (_partial.Length >= MaxLine)
                    {
                        EmitLine();
                    }
                }
            }
        }
    }

    /// <summary>Adds a line Vigil itself writes (a refusal, a start failure), redacted like the rest.</summary>
    public void Note(string line)
    {
        lock (_lock)
        {
            _partial.Append(line);
            EmitLine();
        }
    }

    /// <summary>Flushes a last line without a newline; returns the kept text.</summary>
    public string Complete()
    {
        lock (_lock)
        {
            if (_partial.Length > 0)
            {
                EmitLine();
            }

            var text = new StringBuilder(_head.ToString());
            if (_omitted > 0)
            {
                text.Append("[… ").Append(_omitted).Append(" bytes of output omitted (over runbooks.output_limit) …]\n");
            }

            foreach (var line in _tail)
            {
                text.Append(line);
            }

            return text.ToString();
        }
    }

    private void EmitLine()
    {
        var line = redactor.Redact(_partial.ToString());
        _partial.Clear();
        onLine(line);
        var kept = line + "\n";
        var bytes = Encoding.UTF8.GetByteCount(kept);
        if (_headBytes + bytes <= limit / 2 && _omitted == 0 && _tail.Count == 0)
        {
            _head.Append(kept);
            _headBytes += bytes;
            return;
        }

        _tail.Enqueue(kept);
        _tailBytes += bytes;
        while (_tailBytes > limit - limit / 2 && _tail.Count > 0)
        {
            var dropped = Encoding.UTF8.GetByteCount(_tail.Dequeue());
            _tailBytes -= dropped;
            _omitted += dropped;
        }
    }
}
