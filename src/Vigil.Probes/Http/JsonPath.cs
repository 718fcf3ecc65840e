using System.Globalization;
using System.Text.Json;

namespace Vigil.Probes.Http;

/// <summary>
/// The simple JSONPath of <c>json:</c> assertions: <c>$</c>, then <c>.name</c>, <c>[0]</c> or
/// <c>['odd name']</c> steps. The leading <c>$</c> may be left out (<c>checks[0].ok</c>).
/// </summary>
internal sealed class JsonPath
{
    private readonly object[] _steps;

    private JsonPath(string text, object[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static bool TryParse(string text, out JsonPath? path, out string? error)
    {
        path = null;
        var steps = new List<object>();
        var s = text.Trim();
        var i = 0;
        if (s.StartsWith('$'))
        {
            i = 1;
        }
        else if (s.Length > 0 && s[0] != '[' && s[0] != '.')
        {
            // Bare "status.code" reads as "$.status.code".
            s = "." + s;
        }

        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && s[i] != '.' && s[i] != '[')
                {
                    i++;
                }

                if (i == start)
                {
                    error = $"empty name at position {start} of `{text}`";
                    return false;
                }

                steps.Add(s[start..i]);
            }
            else if (s[i] == '[')
            {
                var close = s.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"unclosed `[` in `{text}`";
                    return false;
                }

                var inner = s[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    error = $"`[{inner}]` in `{text}` is neither an index like [0] nor a quoted name like ['a b']";
                    return false;
                }

                i = close + 1;
            }
            else
            {
                error = $"unexpected `{s[i]}` in `{text}`; use .name, [0] or ['name'] steps";
                return false;
            }
        }

        path = new JsonPath(text, [.. steps]);
        error = null;
        return true;
    }

    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            if (step is int index)
            {
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength())
                {
                    return false;
                }

                value = value[index];
            }
            else
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty((string)step, out var next))
                {
                    return false;
                }

                value = next;
            }
        }

        return true;
    }
}
