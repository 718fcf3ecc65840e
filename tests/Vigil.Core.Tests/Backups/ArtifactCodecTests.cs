using System.Security.Cryptography;
using Vigil.Core.Backups;

namespace Vigil.Core.Tests.Backups;

public sealed class ArtifactCodecTests
{
    private static readonly BackupKey Key = BackupKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly BackupKey OtherKey = BackupKey.FromBytes(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());

    private static byte[] Store(byte[] plain, string compression, BackupKey? key, int chunkShift = ChunkedCipher.DefaultChunkShift)
    {
        using var stored = new MemoryStream();
        if (key is not null && compression == ArtifactCodec.None)
        {
            using var enc = ChunkedCipher.Encrypt(stored, key, chunkShift, leaveOpen: true);
            enc.Write(plain);
        }
        else
        {
            using var w = ArtifactCodec.Writer(stored, compression, 3, key);
            w.Write(plain);
        }

        return stored.ToArray();
    }

    private static byte[] Read(byte[] stored, string compression, BackupKey? key)
    {
        using var r = ArtifactCodec.Reader(new MemoryStream(stored), compression, key is null ? ArtifactCodec.None : ChunkedCipher.Name, key);
        using var plain = new MemoryStream();
        r.CopyTo(plain);
        return plain.ToArray();
    }

    public static TheoryData<int> Sizes => new() { 0, 1, 1023, 1024, 1025, 4096, 5000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Encrypt_ThenDecrypt_RoundTripsAtChunkBoundaries(int size)
    {
        var plain = RandomNumberGenerator.GetBytes(size);

        var stored = Store(plain, ArtifactCodec.None, Key, chunkShift: 10);

        // A full last chunk is the final one: no empty chunk follows it.
        Assert.Equal(ChunkedCipher.HeaderSize + plain.Length + (16 * Math.Max(1, (size + 1023) / 1024)), stored.Length);
        Assert.Equal(plain, Read(stored, ArtifactCodec.None, Key));
    }

    [Fact]
    public void Writer_ZstdAndEncryption_RoundTripsAndCompresses()
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("backups that prove they restore\n", 100_000)));

        var stored = Store(plain, ArtifactCodec.Zstd, Key);

        Assert.True(stored.Length < plain.Length / 20, $"{stored.Length} bytes stored for {plain.Length}");
        Assert.Equal(plain, Read(stored, ArtifactCodec.Zstd, Key));
    }

    [Fact]
    public void Reader_OneFlippedByte_FailsAuthenticationWithTheChunk()
    {
        var stored = Store(RandomNumberGenerator.GetBytes(5000), ArtifactCodec.None, Key, chunkShift: 10);
        stored[ChunkedCipher.HeaderSize + 1040 + 3] ^= 0x01;

        var ex = Assert.Throws<BackupIntegrityException>(() => Read(stored, ArtifactCodec.None, Key));

        Assert.Contains("authentication failed at chunk 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_CutAtAChunkBoundary_FailsBecauseTheLastChunkIsFlagged()
    {
        var stored = Store(RandomNumberGenerator.GetBytes(5000), ArtifactCodec.None, Key, chunkShift: 10);

        var cut = stored.AsSpan(0, ChunkedCipher.HeaderSize + (2 * 1040)).ToArray();
        var ex = Assert.Throws<BackupIntegrityException>(() => Read(cut, ArtifactCodec.None, Key));

        Assert.Contains("altered or truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_WrongKey_SaysWhichKeyWasUsed()
    {
        var stored = Store([1, 2, 3], ArtifactCodec.Zstd, Key);

        var ex = Assert.Throws<BackupIntegrityException>(() => Read(stored, ArtifactCodec.Zstd, OtherKey));

        Assert.StartsWith($"wrong key: the artifact was encrypted with key {Key.Id}, the configured key is {OtherKey.Id}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Key.Id, ChunkedCipher.KeyIdOf(stored));
    }

    [Fact]
    public void BackupKey_TryParse_ReadsHexBase64AndRaw_RefusesOthers()
    {
        var raw = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        Assert.Equal(Key.Id, BackupKey.TryParse(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(raw) + "\n"), "f", out _)!.Id);
        Assert.Equal(Key.Id, BackupKey.TryParse(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(raw)), "f", out _)!.Id);
        Assert.Equal(Key.Id, BackupKey.TryParse(raw, "f", out _)!.Id);
        Assert.Null(BackupKey.TryParse("hunter2"u8.ToArray(), "the file /k", out var error));
        Assert.StartsWith("the file /k does not hold a backup key", error, StringComparison.Ordinal);
    }
}
