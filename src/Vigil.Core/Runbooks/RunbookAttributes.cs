using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Runbooks;

/// <summary>Parses the attributes after a fence's language: <c>{name=restart timeout=60s}</c> or Runme-style JSON <c>{"name":"restart"}</c>.</summary>
public static class RunbookAttributes
{
    private static readonly string[] BooleanKeys = ["confirm", "mutating", "rollback"];

    /// <summary>Parses <paramref name="text"/>; problems are added to <paramref name="errors"/> and the bad part is skipped.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = text?.Trim() ?? "";
        if (s.Length == 0 || s[0] != '{')
        {
            return result; // free text after the language (a file name, a title) is not attributes
        }

        if (s[^1] != '}')
        {
            errors.Add($"attributes '{s}' have no closing '}}'");
            return result;
        }

        var inner = s[1..^1].Trim();
        if (inner.StartsWith('"'))
        {
            ParseJson(s, result, errors);
        }
        else
        {
            ParsePairs(inner, result, errors);
        }

        foreach (var key in BooleanKeys)
        {
            if (result.TryGetValue(key, out var v) && !bool.TryParse(v, out _))
            {
                errors.Add($"attribute {key}='{v}' is not true or false");
                result.Remove(key);
            }
        }

        if (result.TryGetValue("timeout", out var timeout) && !(TryParseDuration(timeout, out var t) && t <= MaxTimeout))
        {
            errors.Add($"attribute timeout='{timeout}' is not a duration like 30s, 5m or 1h of at most 24h");
            result.Remove("timeout");
        }

        return result;
    }

    /// <summary>The longest step timeout a runbook may set.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>Parses <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>5m</c> or <c>1h</c>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        var (number, unit) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], "ms")
            : char.IsAsciiLetter(t[^1]) ? (t[..^1], t[^1..].ToLowerInvariant())
            : (t, "s");
        // Written as "in range" so NaN ("NaNs" parses as a double) fails too: TimeSpan throws on NaN.
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n > 0 && n <= 1e6))
        {
            return false;
        }

        TimeSpan? span = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => null,
        };
        value = span ?? default;
        return span is not null;
    }

    private static void ParseJson(string json, Dictionary<string, string> result, List<string> errors)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                result[prop.Name] = prop.Value.ValueKind switch
                {
                    JsonValueKind.String => prop.Value.GetString() ?? "",
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => prop.Value.GetRawText(),
                };
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // ArgumentException: the text holds a lone surrogate, which cannot be transcoded to UTF-8 for the reader.
            errors.Add($"attributes are not valid JSON: {ex.Message}");
        }
    }

    private static void ParsePairs(string inner, Dictionary<string, string> result, List<string> errors)
    {
        var i = 0;
        while (i < inner.Length)
        {
            if (char.IsWhiteSpace(inner[i]) || inner[i] == ',')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < inner.Length && (char.IsAsciiLetterOrDigit(inner[i]) || inner[i] is '_' or '-' or '.'))
            {
                i++;
            }

            var key = inner[start..i];
            if (key.Length == 0 || i >= inner.Length || inner[i] != '=')
            {
                var end = inner.IndexOfAny([' ', '\t'], i);
                var bad = end < 0 ? inner[start..] : inner[start..end];
                errors.Add($"attribute '{bad}' is not key=value");
                i = end < 0 ? inner.Length : end;
                continue;
            }

            i++; // '='
            string value;
            if (i < inner.Length && inner[i] is '"' or '\'')
            {
                var quote = inner[i];
                var close = inner.IndexOf(quote, i + 1);
                if (close < 0)
                {
                    errors.Add($"attribute {key} has an unclosed quote");
                    return;
                }

                value = inner[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var vs = i;
                while (i < inner.Length && !char.IsWhiteSpace(inner[i]) && inner[i] != ',')
                {
                    i++;
                }

                value = inner[vs..i];
            }

            result[key] = value;
        }
    }
}
