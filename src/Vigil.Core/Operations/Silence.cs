using System.Text.RegularExpressions;

namespace Vigil.Core.Operations;

/// <summary>One matcher of a silence: a label equals a value (<c>=</c>) or matches a regex (<c>=~</c>, anchored).</summary>
public sealed record SilenceMatcher(string Label, string Value, bool IsRegex)
{
    /// <summary>Parses <c>label=value</c> or <c>label=~regex</c>; the error says how to write it.</summary>
    public static bool TryParse(string? text, out SilenceMatcher? matcher, out string? error)
    {
        matcher = null;
        var s = text?.Trim() ?? "";
        var eq = s.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            error = $"'{s}' is not a matcher; write label=value or label=~regex (like service=api or alertname=~Disk.*)";
            return false;
        }

        var isRegex = eq + 1 < s.Length && s[eq + 1] == '~';
        var value = s[(eq + (isRegex ? 2 : 1))..];
        if (isRegex)
        {
            try
            {
                _ = Anchored(value);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                error = $"'{value}' is not a valid regex: {ex.Message}";
                return false;
            }
        }

        matcher = new SilenceMatcher(s[..eq].Trim(), value, isRegex);
        error = null;
        return true;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var value = labels.TryGetValue(Label, out var v) ? v : "";
        return IsRegex ? Anchored(Value).IsMatch(value) : value == Value;
    }

    /// <summary>The whole-value regex; non-backtracking, so matching is linear and cannot hang a sweep.</summary>
    private static Regex Anchored(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    public override string ToString() => Label + (IsRegex ? "=~" : "=") + Value;
}

/// <summary>A silence: signals whose labels match every matcher do not page until it ends or is expired.</summary>
public sealed record Silence(long Id, IReadOnlyList<SilenceMatcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiredAt, string? ExpiredBy)
{
    public bool IsActiveAt(DateTimeOffset at) => ExpiredAt is null && StartsAt <= at && at < EndsAt;

    /// <summary>Whether the labels match every matcher (service and check are labels of check signals; the routed service is added as <c>service</c>).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.Count > 0 && Matchers.All(m => m.Matches(labels));
}
