using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Audit;
using Vigil.Core.Storage;
using Vigil.Core.Tokens;
using Vigil.Server.Auth;

namespace Vigil.Server.WebConsole;

/// <summary>
/// Console sign-in sessions. A session is a random secret in an HttpOnly, SameSite=Strict cookie;
/// the store keeps only its hash, tied to the API token that signed in. A session ends at sign-out,
/// at its expiry, or when its token is revoked (the lookup joins on the token being active).
/// </summary>
internal sealed class ConsoleSessions(IVigilStore store, TimeProvider time)
{
    public const string CookieName = "vigil_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private const string Scheme = "vgs_";

    /// <summary>Starts a session for <paramref name="principal"/>, with its audit entry; returns the secret and expiry.</summary>
    public async Task<(string Secret, DateTimeOffset ExpiresAt)> StartAsync(Principal principal, string how, CancellationToken ct)
    {
        var secret = Scheme + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow() + Lifetime;
        await store.WriteAsync(async (s, c) =>
        {
            await s.Tokens.InsertSessionAsync(TokenSecret.Hash(secret), principal.TokenId, expires, c);
            await s.Audit.AppendAsync(new AuditDraft(principal.Name, "console.sign_in", $"token/{principal.TokenId}", how), c);
            return 0;
        }, ct);
        return (secret, expires);
    }

    /// <summary>Who a session cookie belongs to; null when it is missing, unknown, expired or its token revoked.</summary>
    public async Task<Principal?> FindAsync(string? secret, CancellationToken ct)
    {
        if (!LooksValid(secret))
        {
            return null;
        }

        var token = await store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync(TokenSecret.Hash(secret!), time.GetUtcNow(), c), ct);
        return token is null ? null : new Principal(token.Id, token.Name, token.Role);
    }

    /// <summary>Ends a session (sign-out), with its audit entry.</summary>
    public Task EndAsync(string? secret, Principal principal, CancellationToken ct) =>
        store.WriteAsync(async (s, c) =>
        {
            var ended = LooksValid(secret) && await s.Tokens.DeleteSessionAsync(TokenSecret.Hash(secret!), c);
            await s.Audit.AppendAsync(new AuditDraft(principal.Name, "console.sign_out", $"token/{principal.TokenId}", ended ? null : "no session"), c);
            return 0;
        }, ct);

    public static string? Read(HttpRequest request) => request.Cookies[CookieName];

    /// <summary>HttpOnly, SameSite=Strict, Secure over https, and expiring with the session.</summary>
    public static void SetCookie(HttpContext http, string secret, DateTimeOffset expiresAt) =>
        http.Response.Cookies.Append(CookieName, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Expires = expiresAt,
            Path = "/",
            IsEssential = true,
        });

    public static void ClearCookie(HttpContext http) =>
        http.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/" });

    private static bool LooksValid(string? secret) =>
        secret is { Length: 68 } && secret.StartsWith(Scheme, StringComparison.Ordinal) && secret.AsSpan(4).ContainsAnyExcept("0123456789abcdef") is false;
}
