using System.Security.Cryptography;

namespace Vigil.Core.Backups;

/// <summary>HMAC-SHA256 manifest signatures with one secret key (the interim signer; see <see cref="IManifestSigner"/>).</summary>
public sealed class HmacManifestSigner : IManifestSigner
{
    private readonly byte[] _key;

    public HmacManifestSigner(byte[] key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, 32);
        _key = key;
        KeyId = "hmac-" + Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    public string Algorithm => "hmac-sha256";

    public string KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_key, data);

    public string? Verify(ReadOnlySpan<byte> data, ManifestSignature signature)
    {
        if (signature.Algorithm != Algorithm)
        {
            return $"the manifest is signed with `{signature.Algorithm}`, this Vigil checks `{Algorithm}`";
        }

        if (signature.KeyId != KeyId)
        {
            return $"the manifest was signed by key `{signature.KeyId}`, this Vigil's manifest key is `{KeyId}` (a manifest from another Vigil, or the key file was replaced)";
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature.Value);
        }
        catch (FormatException)
        {
            return "the manifest signature is not base64";
        }

        return CryptographicOperations.FixedTimeEquals(given, Sign(data))
            ? null
            : "the manifest signature does not match its content: the manifest was changed after the backup";
    }
}
