using Vigil.Core.Auth;
using Vigil.Core.Tokens;

namespace Vigil.Core.Storage;

/// <summary>API tokens, stored as hashes.</summary>
public interface ITokenRepository
{
    Task<ApiToken> InsertAsync(string name, Role role, string prefix, string hash, string createdBy, CancellationToken ct);

    /// <summary>The active (not revoked) token with this secret hash, if any.</summary>
    Task<ApiToken?> FindActiveByHashAsync(string hash, CancellationToken ct);

    Task<ApiToken?> GetAsync(long id, CancellationToken ct);

    /// <summary>The active token with this name, if any (names are unique among active tokens).</summary>
    Task<ApiToken?> FindActiveByNameAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<ApiToken>> ListAsync(bool includeRevoked, CancellationToken ct);

    /// <summary>Marks the token revoked; returns it as it is now, or null when there is no such token.</summary>
    Task<ApiToken?> RevokeAsync(long id, CancellationToken ct);

    /// <summary>Stores a console session by the hash of its secret, for the token that signed in.</summary>
    Task InsertSessionAsync(string hash, long tokenId, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>
    /// The token behind a console session: null when there is no such session, it expired at
    /// <paramref name="now"/>, or its token is revoked (a revoked token's sessions die with it).
    /// </summary>
    Task<ApiToken?> FindSessionTokenAsync(string hash, DateTimeOffset now, CancellationToken ct);

    /// <summary>Ends a console session (sign-out); false when there was none.</summary>
    Task<bool> DeleteSessionAsync(string hash, CancellationToken ct);

}
