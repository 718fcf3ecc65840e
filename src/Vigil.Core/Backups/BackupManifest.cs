using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Signing;

namespace Vigil.Core.Backups;

/// <summary>
/// What one backup artifact holds and how to check it: written beside the artifact at the destination
/// (<c>&lt;id&gt;.manifest.json</c>) and kept in the store. The signature covers every other field.
/// </summary>
public sealed record BackupManifest
{
    public const string CurrentFormat = "vigil-backup-manifest/1";

    /// <summary>Format and version of this document.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Backup id, like <c>orders-db-20260301T013000Z</c>.</summary>
    public required string Id { get; init; }

    public required string Job { get; init; }

    /// <summary>When the backup started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>What was backed up: <c>paths</c>, <c>command</c> or <c>self</c>.</summary>
    public required string SourceKind { get; init; }

    /// <summary>The paths, the argv or the store, as configured (no secrets: argv is shown as written).</summary>
    public required string Source { get; init; }

    /// <summary>File name of the artifact at the destination.</summary>
    public required string Artifact { get; init; }

    /// <summary>Bytes of the plaintext stream (the tar archive, the command's stdout, the database copy).</summary>
    public required long PlainSize { get; init; }

    /// <summary>SHA-256 (hex) of the plaintext stream.</summary>
    public required string PlainSha256 { get; init; }

    /// <summary>Bytes stored at the destination.</summary>
    public required long StoredSize { get; init; }

    /// <summary>SHA-256 (hex) of the stored bytes.</summary>
    public required string StoredSha256 { get; init; }

    /// <summary><c>zstd</c> or <c>none</c>.</summary>
    public required string Compression { get; init; }

    /// <summary><c>aes-256-gcm-chunked</c> or <c>none</c>.</summary>
    public required string Cipher { get; init; }

    /// <summary>Id of the encryption key (a fingerprint, not the key), when encrypted.</summary>
    public string? KeyId { get; init; }

    /// <summary>Files in a paths archive; null for a stream.</summary>
    public int? Files { get; init; }

    public ManifestSignature? Signature { get; init; }

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The bytes the signature covers: this manifest without its signature, as JSON.</summary>
    public byte[] SignedBytes() => JsonSerializer.SerializeToUtf8Bytes(this with { Signature = null }, _json);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, _json);

    /// <summary>Parses a manifest; returns null with a reason when it is not one.</summary>
    public static BackupManifest? TryParse(ReadOnlySpan<byte> json, out string? error)
    {
        try
        {
            using (var doc = JsonDocument.Parse(json.ToArray()))
            {
                var format = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String
                    ? f.GetString()
                    : null;
                if (format != CurrentFormat)
                {
                    error = $"not a Vigil backup manifest (format `{format}`, expected `{CurrentFormat}`)";
                    return null;
                }
            }

            error = null;
            return JsonSerializer.Deserialize<BackupManifest>(json, _json);
        }
        catch (JsonException ex)
        {
            error = $"the manifest is not valid JSON or misses fields: {ex.Message}";
            return null;
        }
    }

    /// <summary>The signature algorithm of manifests: Vigil's signing keys (<c>vigil keys</c>).</summary>
    public const string SignatureAlgorithm = "ecdsa-p256-sha256";

    /// <summary>This manifest signed with Vigil's current signing key, for <see cref="SigningPurpose.BackupManifest"/>.</summary>
    public BackupManifest Signed(ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = signer.Sign(SigningPurpose.BackupManifest, SignedBytes());
        return this with { Signature = new ManifestSignature(SignatureAlgorithm, signature.KeyId, signature.Value) };
    }

    /// <summary>
    /// Null when the manifest is signed by a key of <paramref name="ring"/> that was valid when the backup
    /// was taken; otherwise one sentence saying why not.
    /// </summary>
    public string? VerifySignature(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (Signature is not { } s)
        {
            return "the manifest is not signed";
        }

        if (s.Algorithm != SignatureAlgorithm)
        {
            return $"the manifest is signed with `{s.Algorithm}`; this Vigil checks `{SignatureAlgorithm}` signatures made with its signing keys";
        }

        return ring.Verify(SigningPurpose.BackupManifest, SignedBytes(), new Signature(s.KeyId, s.Value), CreatedAt) is { } problem
            ? "the manifest's signature does not verify: " + problem
            : null;
    }
}
