using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Vigil.Core.Operations;

/// <summary>
/// One matcher of a silence, with Alertmanager's four types: a label equals a value (<c>=</c>), differs from it
/// (<c>!=</c>), matches a regex (<c>=~</c>) or does not (<c>!~</c>). Regexes are fully anchored as Alertmanager
/// anchors them (<c>^(?:re)$</c>). A label the signal does not have counts as the empty string, as in Alertmanager.
/// <see cref="IsRegex"/> and <see cref="IsEqual"/> are Alertmanager's own matcher fields; a matcher stored before
/// <c>!=</c> existed has no <see cref="IsEqual"/> and reads back as <c>true</c>.
/// </summary>
public sealed record SilenceMatcher(string Label, string Value, bool IsRegex, bool IsEqual = true)
{
    private const string HowToWrite = "write label=value, label!=value, label=~regex or label!~regex (like service=api, env!=staging or alertname=~Disk.*)";

    /// <summary>The operator as written: <c>=</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>. Derived, so not stored.</summary>
    [JsonIgnore]
    public string Operator => (IsEqual, IsRegex) switch
    {
        (true, false) => "=",
        (false, false) => "!=",
        (true, true) => "=~",
        (false, true) => "!~",
    };

    /// <summary>
    /// Parses <c>label=value</c>, <c>label!=value</c>, <c>label=~regex</c> or <c>label!~regex</c>, Alertmanager's
    /// syntax: spaces around the operator are allowed, and the value may be double-quoted (<c>alertname="Disk full"</c>,
    /// with <c>\"</c> and <c>\\</c> escapes). The error says what is wrong, at which character, and how to write it.
    /// </summary>
    public static bool TryParse(string? text, out SilenceMatcher? matcher, out string? error)
    {
        matcher = null;
        var s = text?.Trim() ?? "";
        var at = s.IndexOfAny(['=', '!']);
        if (at < 0)
        {
            error = $"'{s}' has no operator; {HowToWrite}";
            return false;
        }

        var label = s[..at].Trim();
        if (label.Length == 0)
        {
            error = $"'{s}' has no label name before '{s[at]}' (character {at + 1}); {HowToWrite}";
            return false;
        }

        if (label.Any(char.IsWhiteSpace))
        {
            error = $"'{s}': the label name '{label}' contains a space; label names are single words like alertname or service, {HowToWrite}";
            return false;
        }

        var next = at + 1 < s.Length ? s[at + 1] : '\0';
        bool isEqual, isRegex;
        if (s[at] == '!')
        {
            if (next is not ('=' or '~'))
            {
                error = $"'{s}': '!' at character {at + 1} must be followed by '=' or '~' (not equal, or not matching a regex); {HowToWrite}";
                return false;
            }

            (isEqual, isRegex) = (false, next == '~');
        }
        else
        {
            (isEqual, isRegex) = (true, next == '~');
        }

        var opLength = s[at] == '!' || isRegex ? 2 : 1;
        if (!TryUnquote(s[(at + opLength)..].Trim(), out var value, out var quoteError))
        {
            error = $"'{s}': {quoteError}";
            return false;
        }

        if (isRegex)
        {
            try
            {
                _ = Anchored(value);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                error = $"'{s}': '{value}' is not a valid regex: {ex.Message}";
                return false;
            }
        }

        matcher = new SilenceMatcher(label, value, isRegex, isEqual);
        error = null;
        return true;
    }

    /// <summary>Whether the labels satisfy this matcher; a missing label is the empty string.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return MatchesValue(labels.TryGetValue(Label, out var v) ? v : "");
    }

    /// <summary>Whether one label value satisfies this matcher.</summary>
    public bool MatchesValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hit = IsRegex ? Anchored(Value).IsMatch(value) : value == Value;
        return hit == IsEqual;
    }

    /// <summary>The whole-value regex; non-backtracking, so matching is linear and cannot hang a sweep.</summary>
    private static Regex Anchored(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>A value with surrounding double quotes is a quoted string, as in Alertmanager; anything else is taken as written.</summary>
    private static bool TryUnquote(string raw, out string value, out string? error)
    {
        error = null;
        value = raw;
        if (!raw.StartsWith('"'))
        {
            return true;
        }

        var sb = new StringBuilder();
        for (var i = 1; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '"' or '\\')
            {
                sb.Append(raw[++i]);
            }
            else if (c == '"')
            {
                if (i != raw.Length - 1)
                {
                    error = $"text after the closing quote at character {i + 1} of the value; put the whole value inside the quotes, escaping inner quotes as \\\"";
                    return false;
                }

                value = sb.ToString();
                return true;
            }
            else
            {
                sb.Append(c);
            }
        }

        error = "the value's opening quote is never closed; end it with \" (escape inner quotes as \\\")";
        return false;
    }

    /// <summary>The matcher as it parses back: the value is quoted when it is empty, starts with a quote or has spaces at its ends.</summary>
    public override string ToString()
    {
        var quote = Value.Length == 0 || Value[0] == '"' || Value.Trim().Length != Value.Length;
        return Label + Operator + (quote ? "\"" + Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : Value);
    }
}

/// <summary>A silence: signals whose labels match every matcher do not page until it ends or is expired.</summary>
public sealed record Silence(long Id, IReadOnlyList<SilenceMatcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiredAt, string? ExpiredBy)
{
    public bool IsActiveAt(DateTimeOffset at) => ExpiredAt is null && StartsAt <= at && at < EndsAt;

    /// <summary>Whether the labels match every matcher (service and check are labels of check signals; the routed service is added as <c>service</c>).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.Count > 0 && Matchers.All(m => m.Matches(labels));

    /// <summary>
    /// Alertmanager's rule for a new silence: at least one matcher must not match the empty string. Otherwise the
    /// silence would also match every signal that lacks its labels (<c>env!=prod</c> alone silences everything
    /// without an <c>env</c> label). Null when the matchers are acceptable; else what to add.
    /// </summary>
    public static string? CheckMatchers(IReadOnlyList<SilenceMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            return $"Give at least one matcher, like service=api, check=health or alertname=~Disk.*.";
        }

        return matchers.All(m => m.MatchesValue(""))
            ? $"Every matcher ({string.Join(", ", matchers)}) also matches a signal without that label, so this silence would silence almost everything; "
              + "add a matcher that needs a value, like service=api or alertname=~Disk.*."
            : null;
    }
}
