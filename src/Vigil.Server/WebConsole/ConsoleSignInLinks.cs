using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Tokens;

namespace Vigil.Server.WebConsole;

/// <summary>
/// One-click sign-in links (<c>vigil demo</c> prints one): a random code, kept in memory by its hash,
/// that signs its holder in with a given API token until the link expires. The token is looked up
/// when the link is used, so a revoked token's link signs nobody in. A restart forgets every link.
/// </summary>
internal sealed class ConsoleSignInLinks(TimeProvider time)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (string TokenSecret, DateTimeOffset Until)> _links = new(StringComparer.Ordinal);

    /// <summary>A new link code for the token <paramref name="tokenSecret"/>, valid for <see cref="ValidFor"/>.</summary>
    public string Create(string tokenSecret)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _links[TokenSecret.Hash(code)] = (tokenSecret, time.GetUtcNow() + ValidFor);
        return code;
    }

    /// <summary>The token secret of a live link; null when the code is unknown or expired.</summary>
    public string? Redeem(string code)
    {
        var now = time.GetUtcNow();
        foreach (var (key, link) in _links)
        {
            if (link.Until <= now)
            {
                _links.TryRemove(key, out _);
            }
        }

        return code.Length <= 100 && _links.TryGetValue(TokenSecret.Hash(code), out var hit) && hit.Until > now ? hit.TokenSecret : null;
    }
}

/// <summary>For <c>vigil demo</c>: the console's address and a one-click sign-in link.</summary>
public static class ConsoleSignIn
{
    /// <summary>A sign-in link for <paramref name="tokenSecret"/> on the started <paramref name="app"/>, valid for 10 minutes.</summary>
    public static Uri CreateLink(WebApplication app, Uri address, string tokenSecret)
    {
        ArgumentNullException.ThrowIfNull(app);
        var code = app.Services.GetRequiredService<ConsoleSignInLinks>().Create(tokenSecret);
        return new Uri(address, "/console/login/link/" + code);
    }

    /// <summary>The console's own address on a server listening at <paramref name="address"/>.</summary>
    public static Uri ConsoleUrl(Uri address) => new(address, "/console");
}
