using System.Text;

namespace Vigil.Core.Config;

/// <summary>
/// Expands <c>${VAR}</c> and <c>${VAR:-default}</c> in scalar values. <c>$$</c> is a literal
/// <c>$</c>; a <c>$</c> not followed by <c>{</c> or <c>$</c> is kept as is (so shell text like
/// <c>$HOME</c> passes through). The default is used when the variable is unset or empty.
/// </summary>
internal sealed class EnvExpander(Func<string, string?> environment)
{
    private readonly Func<string, string?> _environment = environment;

    /// <summary>
    /// Expands <paramref name="text"/>. <paramref name="usedVariables"/> is true when the text held
    /// at least one <c>${...}</c> reference; <paramref name="errors"/> lists every problem.
    /// </summary>
    public string Expand(string text, out bool usedVariables, out List<string> errors)
    {
        errors = [];
        usedVariables = false;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var segment in Parse(text, errors))
        {
            if (segment.Variable is null)
            {
                sb.Append(segment.Literal);
                continue;
            }

            usedVariables = true;
            var value = _environment(segment.Variable);
            if (string.IsNullOrEmpty(value) && segment.Default is not null)
            {
                value = segment.Default;
            }
            else if (value is null)
            {
                errors.Add($"environment variable `{segment.Variable}` is not set; set it, or give a default with `${{{segment.Variable}:-value}}`");
                continue;
            }

            sb.Append(value);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The canonical spelling of a template: literal text with every <c>$</c> written <c>$$</c>, and
    /// references as <c>${VAR}</c> or <c>${VAR:-default}</c>. Two templates that always expand the same
    /// have the same canonical spelling.
    /// </summary>
    public static string Canonical(string template)
    {
        var sb = new StringBuilder(template.Length + 8);
        var segments = Parse(template, []);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Variable is null)
            {
                sb.Append(EscapeLiteral(segment.Literal!, followedByReference: i + 1 < segments.Count));
            }
            else
            {
                sb.Append("${").Append(segment.Variable);
                if (segment.Default is not null)
                {
                    sb.Append(":-").Append(segment.Default);
                }

                sb.Append('}');
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Writes a literal value so that it expands back to itself, doubling only the <c>$</c> signs
    /// that would otherwise be read as <c>$$</c> or <c>${</c> (so <c>^a$</c> stays as it is).
    /// </summary>
    public static string EscapeLiteral(string value, bool followedByReference = false)
    {
        if (!value.Contains('$', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            sb.Append(value[i]);
            var next = i + 1 < value.Length ? value[i + 1] : (followedByReference ? '{' : '\0');
            if (value[i] == '$' && next is '$' or '{')
            {
                sb.Append('$');
            }
        }

        return sb.ToString();
    }

    private static List<Segment> Parse(string text, List<string> errors)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            if (next == '$')
            {
                literal.Append('$');
                i += 2;
                continue;
            }

            if (next != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                errors.Add("`${` is not closed; write `${NAME}`, or `$${` for a literal `${`");
                literal.Append(text, i, text.Length - i);
                break;
            }

            var body = text[(i + 2)..close];
            var sep = body.IndexOf(":-", StringComparison.Ordinal);
            var name = sep < 0 ? body : body[..sep];
            var fallback = sep < 0 ? null : body[(sep + 2)..];
            if (!IsValidName(name))
            {
                errors.Add($"`${{{body}}}` is not a valid variable reference; names are letters, digits and `_` (not starting with a digit), as in `${{NAME}}` or `${{NAME:-default}}`; write `$$` for a literal `$`");
                literal.Append(text, i, close - i + 1);
                i = close + 1;
                continue;
            }

            if (literal.Length > 0)
            {
                segments.Add(new Segment(literal.ToString(), null, null));
                literal.Clear();
            }

            segments.Add(new Segment(null, name, fallback));
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), null, null));
        }

        return segments;
    }

    private static bool IsValidName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    private sealed record Segment(string? Literal, string? Variable, string? Default);
}
