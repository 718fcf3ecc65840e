using System.Text.RegularExpressions;

namespace Vigil.Core.Config;

/// <summary>Key paths like <c>services[0].checks[1].every</c> and <c>services[0].labels.team</c>.</summary>
internal static partial class ConfigPath
{
    public static string Member(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>A map entry: <c>.key</c> when the key is a plain word, else <c>["key"]</c>.</summary>
    public static string MapKey(string parent, string key) =>
        PlainKey().IsMatch(key)
            ? Member(parent, key)
            : parent + "[\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";

    /// <summary>The enclosing path, or an empty string at the root.</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var open = path.EndsWith("\"]", StringComparison.Ordinal)
                ? path.LastIndexOf("[\"", StringComparison.Ordinal)
                : path.LastIndexOf('[');
            return open <= 0 ? string.Empty : path[..open];
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path[..dot];
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PlainKey();
}
