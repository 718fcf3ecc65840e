using System.Security.Cryptography;

namespace Vigil.Core.Backups;

/// <summary>Write-only stream that encrypts into <see cref="ChunkedCipher"/> format; disposing it writes the final chunk.</summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[ChunkedCipher.HeaderSize];
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private readonly byte[] _tag = new byte[ChunkedCipher.TagSize];
    private readonly byte[] _nonce = new byte[12];
    private int _filled;
    private long _counter;
    private bool _headerWritten;
    private bool _done;

    public EncryptingStream(Stream output, BackupKey key, int chunkShift, bool leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkShift, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkShift, 24);
        _output = output;
        _leaveOpen = leaveOpen;
        ChunkedCipher.Magic.CopyTo(_header);
        _header[8] = 1;
        _header[9] = (byte)chunkShift;
        key.IdBytes.CopyTo(_header.AsSpan(12));
        RandomNumberGenerator.Fill(_header.AsSpan(20, 32));
        _aes = new AesGcm(ChunkedCipher.SubKey(key, _header.AsSpan(20, 32)), ChunkedCipher.TagSize);
        _plain = new byte[1 << chunkShift];
        _cipher = new byte[1 << chunkShift];
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_done;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        while (buffer.Length > 0)
        {
            if (_filled == _plain.Length)
            {
                // A full chunk is only sealed once more data follows: the last chunk carries the final flag.
                Seal(final: false);
            }

            var n = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    private void Seal(bool final)
    {
        if (!_headerWritten)
        {
            _output.Write(_header);
            _headerWritten = true;
        }

        ChunkedCipher.Nonce(_nonce, _counter++, final);
        _aes.Encrypt(_nonce, _plain.AsSpan(0, _filled), _cipher.AsSpan(0, _filled), _tag, _header);
        _output.Write(_cipher, 0, _filled);
        _output.Write(_tag);
        _filled = 0;
    }

    public override void Flush() => _output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done)
        {
            Seal(final: true);
            _done = true;
            _output.Flush();
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
