using System.Collections.Concurrent;
using Vigil.Core.Storage;
using Vigil.Core.Tokens;

namespace Vigil.Server.Auth;

/// <summary>
/// Resolves a bearer secret to a principal. Hits are cached briefly to keep the store off the hot
/// path of intake; revocation through this node clears the cache at once, and a revocation on
/// another node takes effect within <see cref="CacheFor"/>.
/// </summary>
internal sealed class TokenLookup(IVigilStore store, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Principal Principal, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private long _revocations;

    public async Task<Principal?> FindAsync(string secret, CancellationToken ct)
    {
        var hash = TokenSecret.Hash(secret);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now)
        {
            return hit.Principal;
        }

        // A lookup that read the token before a revocation committed must not cache it afterwards.
        var revocations = Interlocked.Read(ref _revocations);
        var token = await store.ReadAsync((s, c) => s.Tokens.FindActiveByHashAsync(hash, c), ct);
        if (token is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }

        var principal = new Principal(token.Id, token.Name, token.Role);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        if (Interlocked.Read(ref _revocations) == revocations)
        {
            _cache[hash] = (principal, now + CacheFor);
        }

        return principal;
    }

    public void Forget(long tokenId)
    {
        Interlocked.Increment(ref _revocations);
        foreach (var (key, value) in _cache)
        {
            if (value.Principal.TokenId == tokenId)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }
}
