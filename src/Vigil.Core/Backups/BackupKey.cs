using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Backups;

/// <summary>A 32-byte backup encryption key and its public fingerprint (<see cref="Id"/>).</summary>
public sealed class BackupKey
{
    public const int Size = 32;

    private BackupKey(byte[] bytes)
    {
        Bytes = bytes;
        IdBytes = HMACSHA256.HashData(bytes, "vigil-backup-key-id"u8)[..8];
        Id = Convert.ToHexStringLower(IdBytes);
    }

    internal byte[] Bytes { get; }

    internal byte[] IdBytes { get; }

    /// <summary>Fingerprint of the key (16 hex digits); safe to show and store.</summary>
    public string Id { get; }

    public static BackupKey FromBytes(byte[] bytes) =>
        bytes.Length == Size ? new BackupKey(bytes.ToArray()) : throw new ArgumentException($"a backup key is {Size} bytes", nameof(bytes));

    /// <summary>
    /// Reads a key written as 64 hex digits, as base64 of 32 bytes, or (from a file) as 32 raw bytes.
    /// Returns null with a reason naming <paramref name="where"/> otherwise.
    /// </summary>
    public static BackupKey? TryParse(byte[] content, string where, out string? error)
    {
        error = null;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content).Trim();
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
        }

        if (text.Length == 64 && text.All(Uri.IsHexDigit))
        {
            return new BackupKey(Convert.FromHexString(text));
        }

        if (text.Length > 0)
        {
            var buffer = new byte[text.Length];
            if (Convert.TryFromBase64String(text, buffer, out var n) && n == Size)
            {
                return new BackupKey(buffer[..Size]);
            }
        }

        if (content.Length == Size)
        {
            return new BackupKey(content.ToArray());
        }

        error = $"{where} does not hold a backup key: write 32 random bytes as 64 hex digits or base64, for example `openssl rand -hex 32`";
        return null;
    }
}
