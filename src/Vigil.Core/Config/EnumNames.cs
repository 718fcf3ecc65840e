using System.Collections.Concurrent;
using System.Reflection;

namespace Vigil.Core.Config;

/// <summary>Config spellings of enum values: kebab-case names unless <see cref="ConfigNameAttribute"/> says otherwise.</summary>
internal static class EnumNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Text, object Value)>> _cache = new();

    public static IReadOnlyList<(string Text, object Value)> Of(Type enumType) => _cache.GetOrAdd(enumType, t =>
        t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => (f.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? ConfigNaming.ToKebabCase(f.Name), f.GetValue(null)!))
            .ToList());

    public static bool TryParse(Type enumType, string text, out object? value)
    {
        var wanted = text.Trim().Replace('_', '-');
        foreach (var (name, v) in Of(enumType))
        {
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }

    public static string Format(Type enumType, object value) =>
        Of(enumType).First(e => Equals(e.Value, value)).Text;
}
