using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vigil.Core.Backups;

/// <summary>
/// The artifact cipher: AES-256-GCM over fixed-size chunks (a STREAM construction). The header holds
/// the key's fingerprint and a random salt; each artifact gets its own subkey (HKDF-SHA256 of the key
/// and salt), so chunk nonces can be the chunk counter, with the last chunk flagged so that cutting the
/// artifact at a chunk boundary fails authentication too. The header is authenticated with every chunk.
/// <code>
/// header (52 bytes): "VIGILENC" | version 1 | log2(chunk size) | 0 0 | key id (8) | salt (32)
/// chunk:             ciphertext (chunk size, the last one shorter or empty) | GCM tag (16)
/// </code>
/// </summary>
public static class ChunkedCipher
{
    public const string Name = "aes-256-gcm-chunked";

    public const int HeaderSize = 52;

    public const int TagSize = 16;

    public const int DefaultChunkShift = 20;

    internal static ReadOnlySpan<byte> Magic => "VIGILENC"u8;

    public static Stream Encrypt(Stream output, BackupKey key, int chunkShift = DefaultChunkShift, bool leaveOpen = false) =>
        new EncryptingStream(output, key, chunkShift, leaveOpen);

    public static Stream Decrypt(Stream input, BackupKey key, bool leaveOpen = false) => new DecryptingStream(input, key, leaveOpen);

    internal static byte[] SubKey(BackupKey key, ReadOnlySpan<byte> salt) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes, 32, salt.ToArray(), "vigil-backup-chunk-v1"u8.ToArray());

    internal static void Nonce(Span<byte> nonce, long counter, bool final)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce, counter);
        nonce[11] = final ? (byte)1 : (byte)0;
    }

    /// <summary>The key fingerprint in an artifact's header, or null when the bytes are not an encrypted artifact.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> header) =>
        header.Length >= HeaderSize && header[..8].SequenceEqual(Magic) ? Convert.ToHexStringLower(header.Slice(12, 8)) : null;
}
