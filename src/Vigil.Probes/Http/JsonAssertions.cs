using System.Globalization;
using System.Text.Json;
using Vigil.Core.Config;

namespace Vigil.Probes.Http;

/// <summary>Evaluates <c>json:</c> assertions against a parsed body; returns the first failure as a sentence.</summary>
internal static class JsonAssertions
{
    public static string? FirstFailure(JsonElement root, IReadOnlyList<HttpJsonAssertion> assertions)
    {
        foreach (var assertion in assertions)
        {
            if (!JsonPath.TryParse(assertion.Path, out var path, out var error))
            {
                return $"invalid JSON path: {error}";
            }

            var found = path!.TryResolve(root, out var value);
            if (assertion.Exists is { } mustExist && mustExist != found)
            {
                return mustExist
                    ? $"JSON field {assertion.Path} is missing (expected it to exist)"
                    : $"JSON field {assertion.Path} exists with {Show(value)} (expected it to be absent)";
            }

            if (!found)
            {
                if (assertion.ExpectedValue is not null || assertion.NotEquals is not null || assertion.Above is not null || assertion.Below is not null)
                {
                    return $"JSON field {assertion.Path} is missing (expected {Expectation(assertion)})";
                }

                continue;
            }

            var text = AsText(value);
            if (assertion.ExpectedValue is { } expected && !TextEquals(text, expected))
            {
                return $"JSON field {assertion.Path} is {Show(value)} (expected {ProbeText.Quote(expected)})";
            }

            if (assertion.NotEquals is { } forbidden && TextEquals(text, forbidden))
            {
                return $"JSON field {assertion.Path} is {Show(value)} (expected anything else)";
            }

            if (assertion.Above is not null || assertion.Below is not null)
            {
                if (!TryNumber(value, out var number))
                {
                    return $"JSON field {assertion.Path} is {Show(value)}, not a number (expected {Expectation(assertion)})";
                }

                if (assertion.Above is { } above && !(number > above))
                {
                    return $"JSON field {assertion.Path} = {ProbeText.Number(number)} (expected above {ProbeText.Number(above)})";
                }

                if (assertion.Below is { } below && !(number < below))
                {
                    return $"JSON field {assertion.Path} = {ProbeText.Number(number)} (expected below {ProbeText.Number(below)})";
                }
            }
        }

        return null;
    }

    /// <summary>The field as text: strings unquoted, numbers and booleans as written, objects as JSON.</summary>
    internal static string AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        _ => value.GetRawText(),
    };

    private static bool TextEquals(string actual, string expected)
    {
        if (string.Equals(actual, expected, StringComparison.Ordinal))
        {
            return true;
        }

        // "1.0" and "1" are the same number.
        return double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
            && a.Equals(b);
    }

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ProbeText.Quote(value.GetString()),
        JsonValueKind.Undefined => "nothing",
        _ => ProbeText.Truncate(value.GetRawText(), 80),
    };

    private static string Expectation(HttpJsonAssertion a)
    {
        var parts = new List<string>();
        if (a.ExpectedValue is { } e)
        {
            parts.Add(ProbeText.Quote(e));
        }

        if (a.NotEquals is { } n)
        {
            parts.Add($"not {ProbeText.Quote(n)}");
        }

        if (a.Above is { } above)
        {
            parts.Add($"above {ProbeText.Number(above)}");
        }

        if (a.Below is { } below)
        {
            parts.Add($"below {ProbeText.Number(below)}");
        }

        return string.Join(" and ", parts);
    }
}
