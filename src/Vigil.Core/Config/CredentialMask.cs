namespace Vigil.Core.Config;

/// <summary>
/// Decides which parts of config values are credentials, for views that show a config to people
/// (<c>vigil config show</c>, <c>GET /api/v1/config</c>): a URL's password (or a user-only userinfo,
/// usually a token) and its credential-like query values, credential-like HTTP header values, and
/// every value of a command's <c>env</c>. Pure; <see cref="ConfigRenderer"/> applies it, so all
/// config views mask the same way.
/// </summary>
public static class CredentialMask
{
    /// <summary>What a masked value or value part becomes.</summary>
    public const string Mask = "***";

    // Substrings of query keys and header names that carry credentials: access_token, X-Api-Key, client_secret, ...
    private static readonly string[] CredentialWords =
        ["key", "token", "password", "passwd", "pwd", "secret", "auth", "credential", "signature", "session", "cookie"];

    // Whole names that are credentials although they contain none of the words.
    private static readonly string[] CredentialNames = ["sig", "pass", "code"];

    /// <summary>Whether a query parameter or header of this name carries a credential (case-insensitive, substrings count).</summary>
    public static bool IsCredentialName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CredentialWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase))
            || CredentialNames.Any(n => string.Equals(name, n, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// <paramref name="value"/> with credentials masked when it is an absolute URL
    /// (<c>https://user:***@host/p?access_token=***&amp;page=2</c>); any other text is returned as is.
    /// </summary>
    public static string Url(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0 || !value[..scheme].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return value;
        }

        var authorityStart = scheme + 3;
        var authorityEnd = value.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = value.Length;
        }

        var authority = value[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var masked = colon >= 0 ? userInfo[..(colon + 1)] + Mask : Mask;
            authority = masked + authority[at..];
        }

        var rest = value[authorityEnd..];
        return value[..authorityStart] + authority + Query(rest);
    }

    /// <summary>The value of a header as shown: masked when the header's name is credential-like.</summary>
    public static string Header(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        return IsCredentialName(name) ? Mask : Url(value);
    }

    // "/p?a=1&token=x#f": credential-like query values masked; path and fragment kept.
    private static string Query(string rest)
    {
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return rest;
        }

        var hash = rest.IndexOf('#', q);
        var query = hash < 0 ? rest[(q + 1)..] : rest[(q + 1)..hash];
        var pairs = query.Split('&').Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            return eq >= 0 && IsCredentialName(name) ? pair[..(eq + 1)] + Mask : pair;
        });
        return rest[..(q + 1)] + string.Join('&', pairs) + (hash < 0 ? string.Empty : rest[hash..]);
    }
}
