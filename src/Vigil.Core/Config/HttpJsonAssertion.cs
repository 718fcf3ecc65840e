using System.Text.RegularExpressions;

namespace Vigil.Core.Config;

/// <summary>
/// An assertion on one field of a JSON body (an entry of <c>json:</c>). <c>path</c> is a simple
/// JSONPath: <c>$</c>, then <c>.name</c>, <c>[0]</c> or <c>['odd name']</c> steps.
/// At least one condition must be set; all that are set must hold.
/// </summary>
public sealed partial class HttpJsonAssertion : IConfigValidatable
{
    /// <summary>Field to test, like <c>$.status</c> or <c>$.checks[0].ok</c>.</summary>
    [Mandatory]
    [NotEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The field, as text (JSON strings unquoted, numbers and booleans as written), must equal this.</summary>
    [ConfigName("equals")]
    public string? ExpectedValue { get; set; }

    /// <summary>The field, as text, must not equal this.</summary>
    public string? NotEquals { get; set; }

    /// <summary>The field must exist (true) or must not exist (false).</summary>
    public bool? Exists { get; set; }

    /// <summary>The field must be a number above this.</summary>
    public double? Above { get; set; }

    /// <summary>The field must be a number below this.</summary>
    public double? Below { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Path.Length > 0 && !JsonPathPattern().IsMatch(Path))
        {
            context.Error(ConfigPath.Member(path, "path"), $"invalid JSON path `{Path}`: start with `$` and use `.name`, `[0]` or `['name']` steps, like $.status or $.checks[0].ok");
        }

        if (ExpectedValue is null && NotEquals is null && Exists is null && Above is null && Below is null)
        {
            context.Error(path, "a JSON assertion needs a condition: `equals`, `not_equals`, `exists`, `above` or `below`");
        }
    }

    [GeneratedRegex(@"^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\['[^']*'\])*$")]
    private static partial Regex JsonPathPattern();
}
