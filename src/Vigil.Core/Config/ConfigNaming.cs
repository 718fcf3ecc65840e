using System.Text;

namespace Vigil.Core.Config;

/// <summary>PascalCase names to config spellings: properties become snake_case keys, enum values kebab-case.</summary>
internal static class ConfigNaming
{
    public static string ToSnakeCase(string name) => Separate(name, '_');

    public static string ToKebabCase(string name) => Separate(name, '-');

    private static string Separate(string name, char separator)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A boundary is an upper-case letter after a lower-case letter or digit, or the last
                // upper-case letter of an acronym followed by a lower-case one (HTTPServer -> http_server).
                var prevLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var acronymEnd = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (prevLowerOrDigit || acronymEnd)
                {
                    sb.Append(separator);
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
