using System.Text;
using Vigil.Core.Runbooks;

namespace Vigil.Server.Runbooks;

/// <summary>
/// A step's output as it arrives: decoded, split into lines, redacted, handed on line by line for live
/// streaming (up to the cap, then one notice), and kept up to the cap — the first half and the last half,
/// with a visible marker for what was dropped between, because the end of a failing step's output is what
/// matters most.
/// </summary>
internal sealed class StepOutput(OutputRedactor redactor, long limit, Action<string> stream, string overflowNotice)
{
    /// <summary>A line longer than this without a newline is handed on in pieces.</summary>
    private const int MaxLine = 64 * 1024;

    /// <summary>A forced cut is made at the last whitespace within this many characters of the end, so a secret (no spaces) is not cut in two.</summary>
    private const int CutWindow = 4096;

    private readonly Lock _lock = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _partial = new();
    private readonly StringBuilder _head = new();
    private readonly Queue<string> _tail = new();
    private long _headBytes;
    private long _tailBytes;
    private long _omitted;
    private long _streamed;

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
                    EmitLine(_partial.Length);
                }
                else if (c != '\r')
                {
                    _partial.Append(c);
                    if (_partial.Length >= MaxLine)
                    {
                        EmitLine(CutPoint());
                    }
                }
            }
        }
    }

    /// <summary>Adds a line Vigil itself writes (a refusal, a start failure, bash's own errors), redacted like the rest.</summary>
    public void Note(string text)
    {
        lock (_lock)
        {
            foreach (var line in text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
            {
                _partial.Append(line);
                EmitLine(_partial.Length);
            }
        }
    }

    /// <summary>Flushes a last line without a newline; returns the kept text.</summary>
    public string Complete()
    {
        lock (_lock)
        {
            if (_partial.Length > 0)
            {
                EmitLine(_partial.Length);
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

    private int CutPoint()
    {
        for (var i = _partial.Length - 1; i >= Math.Max(1, _partial.Length - CutWindow); i--)
        {
            if (char.IsWhiteSpace(_partial[i]))
            {
                return i + 1;
            }
        }

        return _partial.Length;
    }

    private void EmitLine(int length)
    {
        var line = redactor.Redact(_partial.ToString(0, length));
        _partial.Remove(0, length);
        var kept = line + "\n";
        var bytes = Encoding.UTF8.GetByteCount(kept);
        Stream(line, bytes);
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

    private void Stream(string line, int bytes)
    {
        var before = _streamed;
        _streamed += bytes;
        if (_streamed <= limit)
        {
            stream(line);
        }
        else if (before <= limit)
        {
            stream(overflowNotice);
        }
    }
}
