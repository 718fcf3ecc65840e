using System.Security.Cryptography;

namespace Vigil.Core.Backups;

/// <summary>
/// Read-only stream that decrypts <see cref="ChunkedCipher"/> format. Every chunk is authenticated
/// before any of its bytes are returned; a wrong key, an altered byte or a cut artifact throws
/// <see cref="BackupIntegrityException"/> with the reason.
/// </summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _input;
    private readonly BackupKey _key;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[ChunkedCipher.HeaderSize];
    private readonly byte[] _nonce = new byte[12];
    private AesGcm? _aes;
    private byte[] _record = [];
    private byte[] _plain = [];
    private int _plainOffset;
    private int _plainLength;
    private long _counter;
    private bool _lookahead;
    private byte _lookaheadByte;
    private bool _finished;

    public DecryptingStream(Stream input, BackupKey key, bool leaveOpen)
    {
        _input = input;
        _key = key;
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        while (_plainOffset == _plainLength)
        {
            if (_finished)
            {
                return 0;
            }

            NextChunk();
        }

        var n = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, n).CopyTo(buffer);
        _plainOffset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    private void Start()
    {
        var got = _input.ReadAtLeast(_header, _header.Length, throwOnEndOfStream: false);
        if (got < _header.Length || !_header.AsSpan(0, 8).SequenceEqual(ChunkedCipher.Magic))
        {
            throw new BackupIntegrityException("the artifact is not encrypted by Vigil (no VIGILENC header): it is corrupt, or the job's encryption setting changed after it was written");
        }

        if (_header[8] != 1 || _header[9] is < 10 or > 24)
        {
            throw new BackupIntegrityException($"the artifact's cipher header is unknown (version {_header[8]}, chunk shift {_header[9]}): it is corrupt, or from a newer Vigil");
        }

        if (!_header.AsSpan(12, 8).SequenceEqual(_key.IdBytes))
        {
            throw new BackupIntegrityException(
                $"wrong key: the artifact was encrypted with key {Convert.ToHexStringLower(_header.AsSpan(12, 8))}, the configured key is {_key.Id}; restore needs the key the backup was made with");
        }

        _aes = new AesGcm(ChunkedCipher.SubKey(_key, _header.AsSpan(20, 32)), ChunkedCipher.TagSize);
        var chunk = 1 << _header[9];
        _record = new byte[chunk + ChunkedCipher.TagSize];
        _plain = new byte[chunk];
    }

    private void NextChunk()
    {
        if (_aes is null)
        {
            Start();
        }

        var got = 0;
        if (_lookahead)
        {
            _record[0] = _lookaheadByte;
            got = 1;
            _lookahead = false;
        }

        got += _input.ReadAtLeast(_record.AsSpan(got), _record.Length - got, throwOnEndOfStream: false);
        bool final;
        if (got < _record.Length)
        {
            final = true;
        }
        else
        {
            // A full record is the last one only if nothing follows it.
            var one = new byte[1];
            final = _input.Read(one, 0, 1) == 0;
            if (!final)
            {
                _lookahead = true;
                _lookaheadByte = one[0];
            }
        }

        if (got < ChunkedCipher.TagSize)
        {
            throw new BackupIntegrityException($"the artifact is cut short at chunk {_counter}: it was truncated after it was written");
        }

        var length = got - ChunkedCipher.TagSize;
        ChunkedCipher.Nonce(_nonce, _counter, final);
        try
        {
            _aes!.Decrypt(_nonce, _record.AsSpan(0, length), _record.AsSpan(length, ChunkedCipher.TagSize), _plain.AsSpan(0, length), _header);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BackupIntegrityException(
                $"authentication failed at chunk {_counter} (bytes {ChunkedCipher.HeaderSize + (_counter * _record.Length)}–{ChunkedCipher.HeaderSize + (_counter * _record.Length) + got - 1}): the artifact was altered or truncated after it was written");
        }

        _counter++;
        _plainOffset = 0;
        _plainLength = length;
        _finished = final;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes?.Dispose();
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
