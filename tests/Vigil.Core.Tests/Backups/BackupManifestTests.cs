using Vigil.Core.Backups;
using Vigil.Core.Signing;

namespace Vigil.Core.Tests.Backups;

public sealed class BackupManifestTests
{
    private static readonly DateTimeOffset KeyMade = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SigningKey Key = EcdsaKeys.Generate(KeyMade);
    private static readonly KeyRing Ring = new([Key]);

    private sealed class Signer(SigningKey key) : ISigner
    {
        public Signature Sign(SigningPurpose purpose, ReadOnlySpan<byte> payload) => EcdsaKeys.Sign(key, purpose, payload);
    }

    private static BackupManifest Sample() => new()
    {
        Id = "db-20260301T013000Z",
        Job = "db",
        CreatedAt = new DateTimeOffset(2026, 3, 1, 1, 30, 0, TimeSpan.Zero),
        SourceKind = "command",
        Source = "pg_dump -Fc orders",
        Artifact = "db-20260301T013000Z.zst.enc",
        PlainSize = 10,
        PlainSha256 = new string('a', 64),
        StoredSize = 20,
        StoredSha256 = new string('b', 64),
        Compression = "zstd",
        Cipher = ChunkedCipher.Name,
        KeyId = "0011223344556677",
    };

    [Fact]
    public void Signed_ParsedBack_Verifies()
    {
        var signed = Sample().Signed(new Signer(Key));

        var parsed = BackupManifest.TryParse(signed.ToJson(), out var error)!;

        Assert.Null(error);
        Assert.Equal(signed, parsed);
        Assert.Equal((BackupManifest.SignatureAlgorithm, Key.Id), (parsed.Signature!.Algorithm, parsed.Signature.KeyId));
        Assert.Null(parsed.VerifySignature(Ring));
        // Only the public half is needed to check it.
        Assert.Null(parsed.VerifySignature(Ring.PublicOnly()));
    }

    [Fact]
    public void VerifySignature_ChangedField_FailsWithReason()
    {
        var changed = Sample().Signed(new Signer(Key)) with { PlainSha256 = new string('c', 64) };

        Assert.Contains("the signed content was changed", changed.VerifySignature(Ring), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifySignature_UnknownKey_Unsigned_OrOtherAlgorithm_EachSaySo()
    {
        var other = EcdsaKeys.Generate(KeyMade);
        var foreign = Sample().Signed(new Signer(other));
        Assert.Contains($"signed by key {other.Id}, which is not in the key ring (known: {Key.Id})", foreign.VerifySignature(Ring), StringComparison.Ordinal);

        Assert.Equal("the manifest is not signed", Sample().VerifySignature(Ring));

        var hmac = Sample() with { Signature = new ManifestSignature("hmac-sha256", "hmac-0011", "AAAA") };
        Assert.Contains("signed with `hmac-sha256`", hmac.VerifySignature(Ring), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NotAManifest_SaysSo()
    {
        Assert.Null(BackupManifest.TryParse("{\"format\":\"x\"}"u8, out var error));
        Assert.Contains("not a Vigil backup manifest", error, StringComparison.Ordinal);
        Assert.Null(BackupManifest.TryParse("not json"u8, out error));
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }
}
