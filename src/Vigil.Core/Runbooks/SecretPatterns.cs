using System.Text;
using System.Text.RegularExpressions;
using Vigil.Core.Tokens;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Detectors for secrets written literally: <c>PASSWORD=…</c>, <c>token: …</c>, <c>--api-key …</c>,
/// <c>Authorization: Bearer …</c>, AWS access key ids, GitHub and Slack tokens, Vigil's own API tokens
/// (<c>vgl_…</c>) and heartbeat push URLs (<c>/api/v1/heartbeats/{token}</c>), private key headers and
/// passwords in URLs. A value that only refers to a secret is not one: <c>$VAR</c>, <c>${VAR}</c>,
/// <c>$(cmd)</c>, <c>&lt;placeholder&gt;</c>, <c>{template}</c>, <c>%VAR%</c>, and masks such as <c>***</c>,
/// <c>...</c> or <c>&lt;redacted&gt;</c>. The runbook linter and the run output redactor share these.
/// Every detector has a match timeout (<see cref="MatchTimeout"/>): a line a detector cannot decide in
/// time counts as one secret, so it is hidden whole rather than shown.
/// </summary>
public static partial class SecretPatterns
{
    // Looks at the start of a value: refuses references, placeholders, masks and non-values (true, none).
    private const string NotLiteral =
        @"(?![$<%{]|(?:your|my)[_-]|(?:\*+|\.{3,}|…+|x{3,}|•+|\[redacted\]|\(redacted\)|redacted|true|false|null|none|nil)(?=[\s""'`,;&|)}\]]|$))";

    // A key naming a secret: DB_PASSWORD, api-key, client_secret, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY.
    private const string SecretKey =
        @"(?<![\w.\-/$])[\w.-]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|(?:access|private|secret|signing|encryption|master)[_-]?key)[""']?";

    private const string QuotedValue =
        @"""" + NotLiteral + @"(?<secret>[^""\r\n]+)""|'" + NotLiteral + @"(?<secret>[^'\r\n]+)'";

    /// <summary>How long one detector may take on one text before the whole text is treated as a secret.</summary>
    public const int MatchTimeoutMilliseconds = 250;

    private const string TooComplex = "text too complex to scan for secrets";

    private static readonly string[] SecretKeyWords = ["pass", "secret", "token", "key"];

    // Each detector with the words (any case) a text must contain for it to match at all: a cheap test that
    // spares most lines the regex.
    private static readonly (string Kind, Regex Pattern, string[] Needs)[] Detectors =
    [
        ("password, token or key assignment", KeyEquals(), SecretKeyWords),
        ("password, token or key assignment", KeyColon(), SecretKeyWords),
        ("token or key option", CommandLineOption(), ["secret", "token", "key"]),
        ("Authorization header credential", AuthorizationHeader(), ["authorization"]),
        ("AWS access key id", AwsAccessKey(), ["AKIA", "ASIA"]),
        ("GitHub token", GitHubToken(), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        ("Slack token", SlackToken(), ["xox"]),
        ("private key", PrivateKeyHeader(), ["PRIVATE KEY"]),
        ("password in a URL", UrlPassword(), ["://"]),
        ("Vigil API token", VigilToken(), [TokenSecret.Scheme]),
        ("heartbeat push URL", HeartbeatUrl(), ["/heartbeats/"]),
    ];

    /// <summary>The bound on every built-in detector's run time on one text.</summary>
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds);

    /// <summary>
    /// The built-in detectors. In each, the group named <c>secret</c> is the secret value itself (what to
    /// mask); the rest of the match is context such as <c>PASSWORD=</c>. A private key is matched by its
    /// <c>-----BEGIN … PRIVATE KEY-----</c> line only.
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

            try
            {
                for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
                {
                    var secret = m.Groups["secret"];
                    if (secret.Success && secret.Length > 0)
                    {
                        found.Add(new SecretMatch(kind, secret.Index, secret.Length));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Undecided is treated as secret: the whole text.
                return [new SecretMatch(TooComplex, 0, text.Length)];
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

    [GeneratedRegex(SecretKey + @"[ \t]*=[ \t]*(?:" + QuotedValue + "|" + NotLiteral + @"(?<secret>[^\s""'`,;&|)}\]]+))",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex KeyEquals();

    // YAML and JSON. A bare value must be the whole rest of the line, so prose such as "Token: rotate it monthly" is not a secret.
    [GeneratedRegex(SecretKey + @"[ \t]*:(?:[ \t]*(?:" + QuotedValue + @")|[ \t]+" + NotLiteral + @"(?<secret>[^\s""'`,;&|)}\]#]+)(?=[ \t]*(?:[,}\]]|\#|\r?$)))",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex KeyColon();

    // --token abc, --client-secret abc. Not --password: psql and mysql take it as a flag that prompts, with no value.
    [GeneratedRegex(@"(?<![\w-])--(?:[\w-]*-)?(?:token|secret|api-?key|(?:access|secret)-key)[ \t]+(?:" + QuotedValue + @"|(?!-)" + NotLiteral + @"(?<secret>[^\s""'`;&|)]+))",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex CommandLineOption();

    [GeneratedRegex(@"\bauthorization[""']?[ \t]*[:=][ \t]*[""']?(?:bearer|basic|token)[ \t]+" + NotLiteral + @"(?<secret>[A-Za-z0-9._~+/=-]+)",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Z0-9])", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<secret>xox[abprs]-[A-Za-z0-9-]{10,})", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex PrivateKeyHeader();

    // vgl_ and 40 base62 characters (TokenSecret); anything from 16 on is taken, so a shortened one is hidden too.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>" + TokenSecret.Scheme + @"[A-Za-z0-9]{16,})(?![A-Za-z0-9_])", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex VigilToken();

    // The token is the credential of a heartbeat URL: /api/v1/heartbeats/{token}[/start|/fail|/log].
    [GeneratedRegex(@"/api/v1/heartbeats/" + NotLiteral + @"(?<secret>[^\s/?#""'<>`]+)", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex HeartbeatUrl();

    [GeneratedRegex(@"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://[^\s:/@'""<>]*:" + NotLiteral + @"(?<secret>[^\s/@'""<>]+)@",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex UrlPassword();
}
