using Vigil.Core.Auth;
using Vigil.Core.Tokens;

namespace Vigil.Core.Tests.Auth;

public sealed class RolesAndTokensTests
{
    [Theory]
    [InlineData(Role.Viewer, Role.Viewer, true)]
    [InlineData(Role.Viewer, Role.Responder, false)]
    [InlineData(Role.Operator, Role.Responder, true)]
    [InlineData(Role.Admin, Role.Operator, true)]
    [InlineData(Role.Responder, Role.Admin, false)]
    public void Satisfies_OrderedRoles_Expected(Role held, Role required, bool expected) =>
        Assert.Equal(expected, held.Satisfies(required));

    [Theory]
    [InlineData("viewer", Role.Viewer)]
    [InlineData(" Admin ", Role.Admin)]
    [InlineData("OPERATOR", Role.Operator)]
    public void TryParse_KnownNames_RoundTrip(string name, Role role)
    {
        Assert.True(Roles.TryParse(name, out var parsed));
        Assert.Equal(role, parsed);
        Assert.Equal(name.Trim().ToLowerInvariant(), parsed.ToName());
    }

    [Theory]
    [InlineData("root")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    public void TryParse_UnknownNames_False(string? name) => Assert.False(Roles.TryParse(name, out _));

    [Fact]
    public void Generate_IsWellFormedUniqueAndHashesStably()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => TokenSecret.Generate()).ToList();
        Assert.All(secrets, s => Assert.True(TokenSecret.LooksValid(s), s));
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        Assert.Equal(TokenSecret.Hash(secrets[0]), TokenSecret.Hash(secrets[0]));
        Assert.NotEqual(TokenSecret.Hash(secrets[0]), TokenSecret.Hash(secrets[1]));
        Assert.Equal(12, TokenSecret.PrefixOf(secrets[0]).Length);
    }

    [Theory]
    [InlineData("vgl_short")]
    [InlineData("xyz_0123456789012345678901234567890123456789")]
    [InlineData("vgl_012345678901234567890123456789012345678!")]
    [InlineData("")]
    public void LooksValid_Malformed_False(string secret) => Assert.False(TokenSecret.LooksValid(secret));
}
