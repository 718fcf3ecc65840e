using Vigil.Core.Auth;
using Vigil.Core.Tokens;

namespace Vigil.Server.Api;

/// <summary>A token as the API shows it: never the secret, only its prefix.</summary>
public sealed record TokenView(long Id, string Name, Role Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;

    public static TokenView From(ApiToken t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Id, t.Name, t.Role, t.Prefix, t.CreatedAt, t.CreatedBy, t.RevokedAt);
    }
}
