using Vigil.Core.Auth;

namespace Vigil.Core.Tokens;

/// <summary>An API token as stored: never the secret itself, only its hash and a display prefix.</summary>
public sealed record ApiToken(
    long Id,
    string Name,
    Role Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}
