using System.Text;
using Vigil.Core.Results;
using Vigil.Core.Signing;

namespace Vigil.Core.Tests.Signing;

public sealed class KeyRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("chain head 42 abc");

    [Fact]
    public void SignAndVerify_SameKeyAndPurpose_Verifies()
    {
        var key = EcdsaKeys.Generate(T0);
        var ring = new KeyRing([key]);
        var sig = EcdsaKeys.Sign(key, SigningPurpose.AuditCheckpoint, Payload);

        Assert.Equal(key.Id, sig.KeyId);
        Assert.StartsWith("vk_", key.Id, StringComparison.Ordinal);
        Assert.Null(ring.Verify(SigningPurpose.AuditCheckpoint, Payload, sig, T0.AddMinutes(1)));
    }

    [Fact]
    public void Verify_OtherPurposeOrChangedPayload_Fails()
    {
        var key = EcdsaKeys.Generate(T0);
        var ring = new KeyRing([key]);
        var sig = EcdsaKeys.Sign(key, SigningPurpose.AuditCheckpoint, Payload);

        Assert.Contains("does not match", ring.Verify(SigningPurpose.Export, Payload, sig, T0), StringComparison.Ordinal);
        Assert.Contains("does not match", ring.Verify(SigningPurpose.AuditCheckpoint, Encoding.UTF8.GetBytes("chain head 42 abd"), sig, T0), StringComparison.Ordinal);
        Assert.Contains("does not match", ring.Verify(SigningPurpose.AuditCheckpoint, Payload, sig with { Value = "not base64!" }, T0), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownKey_NamesIt()
    {
        var key = EcdsaKeys.Generate(T0);
        var other = EcdsaKeys.Generate(T0);
        var sig = EcdsaKeys.Sign(key, SigningPurpose.Export, Payload);

        var problem = new KeyRing([other]).Verify(SigningPurpose.Export, Payload, sig, T0);

        Assert.Contains(key.Id, problem, StringComparison.Ordinal);
        Assert.Contains("not in the key ring", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_OldSignaturesVerify_OldKeyCannotSignLater()
    {
        var first = EcdsaKeys.Generate(T0);
        var ring = new KeyRing([first]);
        var before = EcdsaKeys.Sign(first, SigningPurpose.AuditCheckpoint, Payload);
        var rotatedAt = T0.AddDays(30);

        var second = EcdsaKeys.Generate(rotatedAt);
        var rotated = KeyRules.Rotate(ring, second, rotatedAt);

        Assert.Equal(second.Id, rotated.SigningKeyAt(rotatedAt)!.Id);
        var old = rotated.Find(first.Id)!;
        Assert.Null(old.PrivateKey);
        Assert.Equal("retired", old.State);
        Assert.Null(rotated.Verify(SigningPurpose.AuditCheckpoint, Payload, before, T0.AddDays(1)));
        // The same signature claimed for a time after the rotation is outside the old key's window.
        Assert.Contains("outside the validity window", rotated.Verify(SigningPurpose.AuditCheckpoint, Payload, before, rotatedAt.AddSeconds(1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Retire_Backdated_SignaturesAfterAreRejected()
    {
        var a = EcdsaKeys.Generate(T0);
        var ring = KeyRules.Rotate(new KeyRing([a]), EcdsaKeys.Generate(T0.AddDays(1)), T0.AddDays(1));
        var b = ring.SigningKeyAt(T0.AddDays(1))!;
        ring = KeyRules.Rotate(ring, EcdsaKeys.Generate(T0.AddDays(2)), T0.AddDays(2));
        var sigB = EcdsaKeys.Sign(b, SigningPurpose.AuditCheckpoint, Payload);

        var retired = KeyRules.Retire(ring, b.Id, T0.AddDays(1).AddHours(1), T0.AddDays(3));

        Assert.False(retired.IsRefused);
        Assert.Null(retired.Value!.Verify(SigningPurpose.AuditCheckpoint, Payload, sigB, T0.AddDays(1).AddMinutes(30)));
        Assert.NotNull(retired.Value.Verify(SigningPurpose.AuditCheckpoint, Payload, sigB, T0.AddDays(1).AddHours(2)));
    }

    [Fact]
    public void Retire_SigningKeyUnknownOrFuture_Refused()
    {
        var a = EcdsaKeys.Generate(T0);
        var ring = new KeyRing([a]);

        var signing = KeyRules.Retire(ring, a.Id, T0.AddHours(1), T0.AddHours(1));
        Assert.Equal(RefusalKind.Conflict, signing.Refusal!.Kind);
        Assert.Contains("vigil keys rotate", signing.Refusal.Message, StringComparison.Ordinal);

        Assert.Equal(RefusalKind.NotFound, KeyRules.Retire(ring, "vk_nope", T0, T0).Refusal!.Kind);
        Assert.Contains("future", KeyRules.Retire(ring, a.Id, T0.AddHours(2), T0.AddHours(1)).Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrip_KeepsKeys_PublicOnlyDropsPrivate()
    {
        var ring = KeyRules.Rotate(new KeyRing([EcdsaKeys.Generate(T0)]), EcdsaKeys.Generate(T0.AddDays(1)), T0.AddDays(1));

        var parsed = KeyRingJson.Parse(KeyRingJson.Serialize(ring));
        Assert.Equal(ring.Keys, parsed.Keys);

        var pub = KeyRingJson.Serialize(ring.PublicOnly());
        Assert.DoesNotContain("private_key", pub, StringComparison.Ordinal);
        Assert.All(KeyRingJson.Parse(pub).Keys, k => Assert.Null(k.PrivateKey));
    }

    [Theory]
    [InlineData("{", "not a Vigil key file")]
    [InlineData("{\"format\":\"other\",\"version\":1,\"keys\":[]}", "\"format\" must be")]
    [InlineData("{\"format\":\"vigil-keys\",\"version\":9,\"keys\":[]}", "version 9 is not supported")]
    [InlineData("{\"format\":\"vigil-keys\",\"version\":1,\"keys\":[{\"id\":\"vk_1\",\"algorithm\":\"rsa\",\"public_key\":\"AA==\"}]}", "only ecdsa-p256-sha256")]
    public void Parse_BadFiles_SayWhatIsWrong(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => KeyRingJson.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IdThatDoesNotMatchItsKey_Refused()
    {
        var key = EcdsaKeys.Generate(T0);
        var json = KeyRingJson.Serialize(new KeyRing([key with { Id = "vk_0000000000000000" }]));

        var ex = Assert.Throws<FormatException>(() => KeyRingJson.Parse(json));
        Assert.Contains("does not match its public key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PrivateHalfOfAnotherKey_Refused()
    {
        var key = EcdsaKeys.Generate(T0);
        var other = EcdsaKeys.Generate(T0);
        var json = KeyRingJson.Serialize(new KeyRing([key with { PrivateKey = other.PrivateKey }]));

        var ex = Assert.Throws<FormatException>(() => KeyRingJson.Parse(json));
        Assert.Contains("not the private half", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_OpensslStyleKey_SignsAndHasStableId()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var pem = ecdsa.ExportPkcs8PrivateKeyPem();

        var key = EcdsaKeys.FromPem(pem, T0);

        Assert.Equal(EcdsaKeys.IdOf(ecdsa.ExportSubjectPublicKeyInfo()), key.Id);
        var sig = EcdsaKeys.Sign(key, SigningPurpose.BackupManifest, Payload);
        Assert.Null(new KeyRing([key]).Verify(SigningPurpose.BackupManifest, Payload, sig, T0));
        Assert.Throws<FormatException>(() => EcdsaKeys.FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", T0));
    }
}
