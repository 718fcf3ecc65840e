using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Signing;

/// <summary>
/// ECDSA P-256 with SHA-256 from .NET's own cryptography (OpenSSL on Linux). Chosen over Ed25519
/// because the base library has no Ed25519 and NSec would add libsodium, a second native
/// dependency to ship and patch; P-256 is as widely verifiable (openssl, every language).
/// </summary>
public static class EcdsaKeys
{
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>Generates a fresh key in service from <paramref name="now"/>.</summary>
    public static SigningKey Generate(DateTimeOffset now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        return new SigningKey(IdOf(spki), Algorithm, Convert.ToBase64String(spki), Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()), stamp, stamp, null);
    }

    /// <summary>A key from a PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>) or an EC PEM, as supplied in VIGIL_SIGNING_KEY.</summary>
    public static SigningKey FromPem(string pem, DateTimeOffset createdAt)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new FormatException($"not a PEM ECDSA private key ({ex.Message}); create one with `openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt`", ex);
        }

        if (ecdsa.KeySize != 256)
        {
            throw new FormatException($"the key is ECDSA with {ecdsa.KeySize} bits; Vigil signs with P-256 (prime256v1)");
        }

        var spki = ecdsa.ExportSubjectPublicKeyInfo();
        return new SigningKey(IdOf(spki), Algorithm, Convert.ToBase64String(spki), Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey()),
            createdAt, DateTimeOffset.UnixEpoch, null);
    }

    /// <summary>The key id of a SubjectPublicKeyInfo: <c>vk_</c> + the first 16 hex digits of its SHA-256.</summary>
    public static string IdOf(ReadOnlySpan<byte> spki) => "vk_" + Convert.ToHexStringLower(SHA256.HashData(spki))[..16];

    /// <summary>Signs for a purpose with a key that holds its private half.</summary>
    public static Signature Sign(SigningKey key, SigningPurpose purpose, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.PrivateKey is null)
        {
            throw new InvalidOperationException($"Key {key.Id} has no private half; it can only verify.");
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key.PrivateKey), out _);
        return new Signature(key.Id, Convert.ToBase64String(ecdsa.SignData(Framed(purpose, payload), HashAlgorithmName.SHA256)));
    }

    /// <summary>True when <paramref name="signature"/> is this key's signature of the payload for the purpose.</summary>
    public static bool Verify(SigningKey key, SigningPurpose purpose, ReadOnlySpan<byte> payload, string signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(signature, bytes, out var written) || written != 64)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.PublicKey), out _);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }

        return ecdsa.VerifyData(Framed(purpose, payload), bytes, HashAlgorithmName.SHA256);
    }

    /// <summary>True when the key's private half (PKCS#8) belongs to its public half.</summary>
    public static bool PrivateMatchesPublic(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key.PrivateKey ?? ""), out _);
            return Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo()) == key.PublicKey;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The signed bytes: <c>vigil/&lt;purpose&gt;/v1</c>, a newline, then the payload.</summary>
    private static byte[] Framed(SigningPurpose purpose, ReadOnlySpan<byte> payload)
    {
        var prefix = Encoding.ASCII.GetBytes($"vigil/{PurposeName(purpose)}/v1\n");
        var framed = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(framed, 0);
        payload.CopyTo(framed.AsSpan(prefix.Length));
        return framed;
    }

    /// <summary>The purpose as written in the signed bytes and in documents: audit-checkpoint, export, backup-manifest.</summary>
    public static string PurposeName(SigningPurpose purpose) => purpose switch
    {
        SigningPurpose.AuditCheckpoint => "audit-checkpoint",
        SigningPurpose.Export => "export",
        SigningPurpose.BackupManifest => "backup-manifest",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };
}
