using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Vigil.Probes.Http;

/// <summary>Compiled <c>body_regex</c> patterns, shared across runs; bounded so config reloads cannot grow it forever.</summary>
internal static class RegexCache
{
    private const int MaxEntries = 1024;
    private static readonly ConcurrentDictionary<(string Pattern, TimeSpan Timeout), Regex> _cache = new();

    public static Regex Get(string pattern, TimeSpan timeout)
    {
        if (_cache.TryGetValue((pattern, timeout), out var regex))
        {
            return regex;
        }

        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, timeout);
        return _cache.GetOrAdd((pattern, timeout), regex);
    }
}
