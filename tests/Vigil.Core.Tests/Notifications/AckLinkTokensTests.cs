using System.Buffers.Text;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Notifications;

public sealed class AckLinkTokensTests
{
    private static readonly byte[] Key = Enumerable.Range(1, AckLinkTokens.KeyBytes).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly AckLinkClaims Claims = new("tok-1", 42, 3, "alice", Now.AddHours(24));

    [Fact]
    public void Read_MintedToken_IsValid_WithItsClaims()
    {
        var token = AckLinkTokens.Mint(Key, Claims);

        Assert.Equal(AckLinkCheck.Valid, AckLinkTokens.Read(Key, token, Now, out var claims));
        Assert.Equal(Claims, claims);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('+', token);
    }

    [Fact]
    public void Read_AtOrAfterExpiry_IsExpired_WithClaims()
    {
        var token = AckLinkTokens.Mint(Key, Claims);

        Assert.Equal(AckLinkCheck.Valid, AckLinkTokens.Read(Key, token, Claims.ExpiresAt.AddSeconds(-1), out _));
        Assert.Equal(AckLinkCheck.Expired, AckLinkTokens.Read(Key, token, Claims.ExpiresAt, out var claims));
        Assert.Equal(42, claims!.IncidentId);
    }

    [Fact]
    public void Read_AnotherKey_OrAnyChangedField_IsBadSignature()
    {
        var token = AckLinkTokens.Mint(Key, Claims);
        var other = (byte[])Key.Clone();
        other[0] ^= 1;
        Assert.Equal(AckLinkCheck.BadSignature, AckLinkTokens.Read(other, token, Now, out _));

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
        foreach (var (from, to) in new[] { ("|alice|", "|bob|"), ("|42|", "|43|"), ("|3|", "|4|"), ("tok-1", "tok-2") })
        {
            var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace(from, to, StringComparison.Ordinal))) + token[dot..];
            Assert.Equal(AckLinkCheck.BadSignature, AckLinkTokens.Read(Key, forged, Now, out var claims));
            Assert.Null(claims);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".sig")]
    [InlineData("payload.")]
    [InlineData("a.b.c")]
    [InlineData("not base64!.AAAA")]
    public void Read_Malformed_IsMalformed(string? token)
    {
        Assert.Equal(AckLinkCheck.Malformed, AckLinkTokens.Read(Key, token, Now, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void Read_TooLong_IsMalformed_BeforeDecoding() =>
        Assert.Equal(AckLinkCheck.Malformed, AckLinkTokens.Read(Key, new string('A', AckLinkTokens.MaxLength) + ".AA", Now, out _));

    [Fact]
    public void Read_SignedPayloadWithWrongShape_IsMalformed()
    {
        // Signed with the right key but not a payload Mint writes (a future version, say): refused, not guessed at.
        var payload = Encoding.UTF8.GetBytes("2|tok|1|0|alice|1796641200");
        var data = "vigil ack link\n"u8.ToArray().Concat(payload).ToArray();
        var token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(Key, data));
        Assert.Equal(AckLinkCheck.Malformed, AckLinkTokens.Read(Key, token, Now, out _));
    }

    [Fact]
    public void Mint_PersonIdWithSeparator_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AckLinkTokens.Mint(Key, Claims with { PersonId = "a|b" }));

    [Fact]
    public void Config_PagesOverLinkChannelsWithoutPublicUrl_WarnOnce_AndAckLinkLifetimeIsBounded()
    {
        const string People = """
            people:
              - { id: alice, notify_via: [chat] }
              - { id: bob, notify_via: [hook] }
            notifiers:
              - { id: chat, email: { smtp: "smtp://localhost:25", from: vigil@example.com, to: [ops@example.com] } }
              - { id: hook, webhook: { url: "https://hooks.example.com/y" } }
            """;
        var without = ConfigLoader.LoadFromString("vigil: { name: test }\n" + People, environment: TestEnvironment.Lookup);
        Assert.True(without.Success, string.Join("\n", without.Errors));
        var warning = Assert.Single(without.Warnings);
        Assert.Equal("vigil", warning.Path);
        Assert.Contains("`vigil.public_url` is not set, so pages to alice go out without acknowledge and console links", warning.Message, StringComparison.Ordinal);

        var with = ConfigLoader.LoadFromString("vigil: { name: test, public_url: \"https://vigil.example.com\" }\n" + People, environment: TestEnvironment.Lookup);
        Assert.Empty(with.Warnings);
        Assert.Equal(TimeSpan.FromHours(24), with.Config!.Vigil.AckLinkLifetime);

        var tooLong = ConfigLoader.LoadFromString("vigil: { name: test, ack_link_lifetime: 31d }\n", environment: TestEnvironment.Lookup);
        Assert.Contains(tooLong.Errors, e => e.Path == "vigil.ack_link_lifetime" && e.Message.Contains("longer than 30d", StringComparison.Ordinal));
    }
}
