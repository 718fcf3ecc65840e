using Vigil.Core.Backups;

namespace Vigil.Core.Tests.Backups;

public sealed class BackupManifestTests
{
    private static readonly HmacManifestSigner Signer = new(new byte[32]);

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
        var signed = Sample().Signed(Signer);

        var parsed = BackupManifest.TryParse(signed.ToJson(), out var error)!;

        Assert.Null(error);
        Assert.Equal(signed, parsed);
        Assert.Null(Signer.Verify(parsed.SignedBytes(), parsed.Signature!));
    }

    [Fact]
    public void Verify_ChangedField_FailsWithReason()
    {
        var signed = Sample().Signed(Signer);
        var changed = signed with { PlainSha256 = new string('c', 64) };

        Assert.Equal("the manifest signature does not match its content: the manifest was changed after the backup", Signer.Verify(changed.SignedBytes(), changed.Signature!));
    }

    [Fact]
    public void Verify_OtherSigningKey_NamesBothKeys()
    {
        var signed = Sample().Signed(new HmacManifestSigner(Enumerable.Repeat((byte)7, 32).ToArray()));

        var reason = Signer.Verify(signed.SignedBytes(), signed.Signature!);

        Assert.Contains($"signed by key `{signed.Signature!.KeyId}`, this Vigil's manifest key is `{Signer.KeyId}`", reason, StringComparison.Ordinal);
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
