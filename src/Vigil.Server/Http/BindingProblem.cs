using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Vigil.Server.Http;

/// <summary>
/// The detail of a 400 for a query or route value that does not bind: names the parameter, the value and
/// the expected form, instead of ASP.NET's message with the .NET type (<c>Nullable&lt;int&gt; limit</c>).
/// </summary>
internal static partial class BindingProblem
{
    public static string Describe(BadHttpRequestException ex)
    {
        var m = FailedToBind().Match(ex.Message);
        if (!m.Success)
        {
            return ex.Message;
        }

        var type = m.Groups["type"].Value;
        var expected = type switch
        {
            _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) => "a whole number, like 42",
            _ when type.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
            _ when type.Contains("DateTime", StringComparison.Ordinal) => "a time in ISO 8601 with an offset, like 2026-05-01T14:00:00Z",
            _ when type.Contains("double", StringComparison.OrdinalIgnoreCase) || type.Contains("decimal", StringComparison.OrdinalIgnoreCase) => "a number, like 1.5",
            _ => "a value of another form",
        };
        return $"'{m.Groups["name"].Value}' is \"{m.Groups["value"].Value}\"; expected {expected}.";
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.*?)\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)" from "(?<value>.*)"\.?$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();
}
