using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>Finds the regular expressions a type holds, to check their run time is bounded without timing them.</summary>
internal static class RegexBounds
{
    /// <summary>A regex whose run time is bounded: linear (NonBacktracking) or with a finite match timeout.</summary>
    public static bool IsBounded(Regex regex) =>
        regex.Options.HasFlag(RegexOptions.NonBacktracking) || regex.MatchTimeout != Regex.InfiniteMatchTimeout;

    /// <summary>Every Regex in the static fields (directly, in arrays, in tuples) and static parameterless methods (source-generated) of a type.</summary>
    public static IReadOnlyList<Regex> StaticRegexesOf(Type type)
    {
        const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        var found = new List<Regex>();
        foreach (var field in type.GetFields(Static))
        {
            Collect(field.GetValue(null), found);
        }

        foreach (var method in type.GetMethods(Static).Where(m => m.ReturnType == typeof(Regex) && m.GetParameters().Length == 0))
        {
            Collect(method.Invoke(null, null), found);
        }

        return found.Distinct().ToList();
    }

    private static void Collect(object? value, List<Regex> found)
    {
        switch (value)
        {
            case Regex r:
                found.Add(r);
                break;
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                {
                    Collect(tuple[i], found);
                }

                break;
            case IEnumerable items and not string:
                foreach (var item in items)
                {
                    Collect(item, found);
                }

                break;
        }
    }
}
