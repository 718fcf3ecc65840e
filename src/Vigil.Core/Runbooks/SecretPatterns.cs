using System.Text;
using System.Text.RegularExpressions;
using Vigil.Core.Tokens;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Detectors for secrets written literally: <c>PASSWORD=…</c>, <c>token: …</c>, <c>--api-key …</c>,
/// <c>Authorization: Bearer …</c>, AWS access key ids, GitHub and Slack tokens, Vigil's own API tokens
/// (<c>vgl_…</c>) and heartbeat push URLs (<c>/api/v1/heartbeats/{token}</c>), private keys (a
/// <c>-----BEGIN … PRIVATE KEY-----</c> line that ends there or goes on with key material) and passwords in URLs.
/// A value that only refers to a secret is not one: <c>$VAR</c>, <c>${VAR}</c>, <c>$(cmd)</c>,
/// <c>&lt;placeholder&gt;</c>, <c>{template}</c>, <c>%VAR%</c>, masks such as <c>***</c>, <c>...</c>,
/// <c>&lt;redacted&gt;</c> or <c>[FILTERED]</c>, a file path or key file name (<c>/etc/…/private-key</c>,
/// <c>server.key</c>), and documentation stand-ins made only of words such as <c>CHANGEME</c>,
/// <c>super-secret-key</c>, <c>get_me_from_vault</c> or <c>123</c> (see <see cref="IsStandIn"/>).
/// The runbook linter and the run output redactor share these.
/// Every detector runs with <see cref="RegexOptions.NonBacktracking"/>: its time is linear in the text, with no
/// timeout, so what it finds never depends on the machine's load.
/// </summary>
public static class SecretPatterns
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private const RegexOptions Text = Options | RegexOptions.IgnoreCase | RegexOptions.Multiline;

    // A key naming a secret: DB_PASSWORD, api-key, client_secret, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY (not preceded by a word, '.', '-', '/' or '$').
    private const string SecretKey =
        @"(?:^|[^\w.\-/$])[\w.-]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|(?:access|private|secret|signing|encryption|master)[_-]?key)[""']?";

    private const string QuotedValue = @"""(?<secret>[^""\r\n]+)""|'(?<secret>[^'\r\n]+)'";

    private static readonly string[] SecretKeyWords = ["pass", "secret", "token", "key"];

    // Words a documentation stand-in is made of ("super-secret-key", "CHANGEME", "get_me_from_vault", "client_secret_value").
    private static readonly HashSet<string> StandInWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abc", "access", "admin", "api", "bar", "baz", "changeit", "changeme", "change", "client", "cookie", "dummy", "example",
        "fake", "fixme", "foo", "from", "get", "goes", "here", "insert", "key", "me", "my", "pass", "passwd", "password", "placeholder",
        "private", "put", "redacted", "replace", "sample", "secret", "secure", "some", "super", "the", "this", "todo", "token", "value",
        "vault", "with", "xyz", "your", "123", "1234", "12345", "123456",
    };

    // File names a key or certificate is kept in: the option names the file, not the secret.
    private static readonly string[] KeyFileExtensions = [".key", ".pem", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".json", ".gpg", ".asc", ".pub", ".keytab", ".env", ".txt", ".yml", ".yaml"];

    // Each detector with the words (any case) a text must contain for it to match at all: a cheap test that
    // spares most lines the regex.
    private static readonly (string Kind, Regex Pattern, string[] Needs)[] Detectors =
    [
        ("password, token or key assignment", new(SecretKey + @"[ \t]*=[ \t]*(?:" + QuotedValue + @"|(?<secret>[^\s""'`,;&|)}\]]+))", Text), SecretKeyWords),

        // YAML and JSON. A bare value must be the whole rest of the line, so prose such as "Token: rotate it monthly" is not a secret.
        ("password, token or key assignment", new(SecretKey + @"[ \t]*:(?:[ \t]*(?:" + QuotedValue + @")|[ \t]+(?<secret>[^\s""'`,;&|)}\]#]+)[ \t]*(?:[,}\]]|\#|\r?$))", Text), SecretKeyWords),

        // --token abc, --client-secret abc. Not --password: psql and mysql take it as a flag that prompts, with no value.
        ("token or key option", new(@"(?:^|[^\w-])--(?:[\w-]*-)?(?:token|secret|api-?key|(?:access|secret)-key)[ \t]+(?:" + QuotedValue + @"|(?<secret>[^\s""'`;&|)\-][^\s""'`;&|)]*))", Text), ["secret", "token", "key"]),
        ("Authorization header credential", new(@"\bauthorization[""']?[ \t]*[:=][ \t]*[""']?(?:bearer|basic|token)[ \t]+(?<secret>[A-Za-z0-9._~+/=-]+)", Text), ["authorization"]),
        ("AWS access key id", new(@"(?:^|[^A-Z0-9])(?<secret>(?:AKIA|ASIA)[0-9A-Z]{16})(?:$|[^A-Z0-9])", Options | RegexOptions.Multiline), ["AKIA", "ASIA"]),
        ("GitHub token", new(@"(?:^|[^A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?:$|[^A-Za-z0-9_])", Options | RegexOptions.Multiline), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        ("Slack token", new(@"(?:^|[^A-Za-z0-9])(?<secret>xox[abprs]-[A-Za-z0-9-]{10,})", Options | RegexOptions.Multiline), ["xox"]),

        // The header at the end of its line, or followed by key material ("…-----\nMIIE…" in JSON): not a header named in prose.
        ("private key", new(@"(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)(?:[ \t]*\r?$|\\n|[ \t]*[A-Za-z0-9+/])", Options | RegexOptions.Multiline), ["PRIVATE KEY"]),
        ("password in a URL", new(@"(?:^|[^a-z0-9+.-])[a-z][a-z0-9+.-]*://[^\s:/@'""<>]*:(?<secret>[^\s/@'""<>]+)@", Text), ["://"]),

        // vgl_ and 40 base62 characters (TokenSecret); anything from 16 on is taken, so a shortened one is hidden too.
        ("Vigil API token", new(@"(?:^|[^A-Za-z0-9_])(?<secret>" + TokenSecret.Scheme + @"[A-Za-z0-9]{16,})(?:$|[^A-Za-z0-9_])", Options | RegexOptions.Multiline), [TokenSecret.Scheme]),

        // The token is the credential of a heartbeat URL: /api/v1/heartbeats/{token}[/start|/fail|/log].
        ("heartbeat push URL", new(@"/api/v1/heartbeats/(?<secret>[^\s/?#""'<>`]+)", Options), ["/heartbeats/"]),
    ];

    /// <summary>
    /// The built-in detectors. In each, the group named <c>secret</c> is the secret value itself (what to
    /// mask); the rest of the match is context such as <c>PASSWORD=</c>. A private key is matched by its
    /// <c>-----BEGIN … PRIVATE KEY-----</c> line only. <see cref="Find"/> also drops what a detector matches that only
    /// refers to a secret (a <c>$VAR</c>, a mask, a key file name, a stand-in such as <c>CHANGEME</c>); a redactor using
    /// these directly hides those too, which is the safe side.
    /// </summary>
    public static IReadOnlyList<Regex> BuiltIn { get; } = Detectors.Select(d => d.Pattern).ToArray();

    /// <summary>The secrets in <paramref name="text"/> (usually one line), ordered by position and not overlapping.</summary>
    public static IReadOnlyList<SecretMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<SecretMatch>();
        foreach (var (kind, pattern, needs) in Detectors)
        {
            if (!needs.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
            {
                var secret = m.Groups["secret"];
                if (secret.Success && secret.Length > 0 && !IsReference(secret.Value))
                {
                    found.Add(new SecretMatch(kind, secret.Index, secret.Length));
                }
            }
        }

        // Two detectors may see the same value (token=ghp_…); the earliest, then the longest, then the first detector wins.
        var result = new List<SecretMatch>(found.Count);
        var end = 0;
        foreach (var match in found.OrderBy(m => m.Index).ThenByDescending(m => m.Length))
        {
            if (match.Index >= end)
            {
                result.Add(match);
                end = match.Index + match.Length;
            }
        }

        return result;
    }

    /// <summary><paramref name="text"/> with every secret <see cref="Find"/> sees replaced by <paramref name="mask"/>.</summary>
    public static string Redact(string text, string mask = "***")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(mask);
        return Redact(text, Find(text), mask);
    }

    /// <summary><paramref name="text"/> with <paramref name="matches"/> (from <see cref="Find"/> on it) replaced by <paramref name="mask"/>.</summary>
    internal static string Redact(string text, IReadOnlyList<SecretMatch> matches, string mask)
    {
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var m in matches)
        {
            sb.Append(text, at, m.Index - at).Append(mask);
            at = m.Index + m.Length;
        }

        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// Whether a detected value only refers to a secret or stands in for one: a reference (<c>$VAR</c>, <c>&lt;x&gt;</c>,
    /// <c>%VAR%</c>, <c>{{ x }}</c>, <c>your_…</c>, <c>my-…</c>), a mask or non-value, a file path or key file name, or a stand-in.
    /// </summary>
    internal static bool IsReference(string value)
    {
        var v = value.Trim();
        if (v.Length == 0 || v[0] is '$' or '<' or '%' or '{'
            || v.StartsWith("your_", StringComparison.OrdinalIgnoreCase) || v.StartsWith("your-", StringComparison.OrdinalIgnoreCase)
            || v.StartsWith("my_", StringComparison.OrdinalIgnoreCase) || v.StartsWith("my-", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var bare = v.Trim('[', ']', '(', ')');
        if (bare.Length == 0 || bare.All(c => c == '*') || bare.All(c => c == '.') || bare.All(c => c == '…') || bare.All(c => c == '•')
            || (bare.Length >= 3 && bare.All(c => c is 'x' or 'X'))
            || bare.ToUpperInvariant() is "REDACTED" or "FILTERED" or "MASKED" or "HIDDEN" or "TRUE" or "FALSE" or "NULL" or "NONE" or "NIL")
        {
            return true;
        }

        // A path (/etc/…/private-key, ~/.ssh/id_ed25519) or a key file (server.key, sa.json) names where the secret is kept.
        if ((v.StartsWith('/') || v.StartsWith("~/", StringComparison.Ordinal) || v.StartsWith("./", StringComparison.Ordinal) || v.StartsWith("../", StringComparison.Ordinal))
            && v.IndexOf('/', 1) > 0)
        {
            return true;
        }

        return KeyFileExtensions.Any(e => v.Length > e.Length && v.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || IsStandIn(v);
    }

    /// <summary>
    /// A documentation stand-in: a value made only of words that describe a secret or ask for one (CHANGEME,
    /// super-secret-key, secure-token, get_me_from_vault, client_secret_value, 123). A real secret is not made of these.
    /// </summary>
    internal static bool IsStandIn(string value)
    {
        var parts = value.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts.All(StandInWords.Contains);
    }
}
