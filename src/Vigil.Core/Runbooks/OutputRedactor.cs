using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Replaces secrets in output lines with <c>[redacted]</c>: the values of secret parameters (exact text),
/// credentials the built-in <see cref="SecretPatterns"/> recognise (<c>PASSWORD=…</c>, bearer tokens, cloud
/// and chat tokens, passwords in URLs) and the matches of configured patterns. Works line by line, so a
/// secret split across lines (a private key's body) is not seen.
/// </summary>
public sealed class OutputRedactor
{
    /// <summary>What a secret becomes.</summary>
    public const string Mask = "[redacted]";

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    private readonly string[] _values;
    private readonly Regex[] _patterns;

    /// <param name="secretValues">Exact values to hide; empty ones are ignored, longer ones are replaced first.</param>
    /// <param name="patterns">Regular expressions whose matches are hidden (already validated by the config loader).</param>
    public OutputRedactor(IEnumerable<string> secretValues, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(secretValues);
        ArgumentNullException.ThrowIfNull(patterns);
        _values = secretValues.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();
        _patterns = patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, PatternTimeout)).ToArray();
    }

    public string Redact(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var value in _values)
        {
            line = line.Replace(value, Mask, StringComparison.Ordinal);
        }

        line = SecretPatterns.Redact(line, Mask);

        foreach (var pattern in _patterns)
        {
            try
            {
                line = pattern.Replace(line, Mask);
            }
            catch (RegexMatchTimeoutException)
            {
                return Mask + " (line hidden: a redaction pattern took too long on it)";
            }
        }

        return line;
    }
}
