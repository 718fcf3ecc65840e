namespace Vigil.Core.Config;

/// <summary>
/// Names the parts of the config that differ between two sets of <see cref="ConfigDigest.Sections"/>: the file's
/// (the first argument of <see cref="Compare"/>) and the running server's. Pure; compares digests only, so it
/// never sees or prints a config value.
/// </summary>
public static class ConfigDrift
{
    /// <summary>
    /// Every differing top-level section, each followed by its differing entries. The entries of a section that is
    /// added or removed as a whole are not listed one by one.
    /// </summary>
    public static IReadOnlyList<ConfigSectionDrift> Compare(IReadOnlyDictionary<string, string> file, IReadOnlyDictionary<string, string> running)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(running);
        var result = new List<ConfigSectionDrift>();
        var sections = file.Keys.Concat(running.Keys).Where(k => !k.Contains('/', StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var kind = Kind(section, file, running);
            if (kind is null)
            {
                continue;
            }

            result.Add(new ConfigSectionDrift(section, kind.Value));
            if (kind != ConfigDriftKind.Changed)
            {
                continue;
            }

            var prefix = section + "/";
            foreach (var entry in file.Keys.Concat(running.Keys).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal))
            {
                if (Kind(entry, file, running) is { } entryKind)
                {
                    result.Add(new ConfigSectionDrift(entry, entryKind));
                }
            }
        }

        return result;
    }

    private static ConfigDriftKind? Kind(string key, IReadOnlyDictionary<string, string> file, IReadOnlyDictionary<string, string> running) =>
        (file.TryGetValue(key, out var a), running.TryGetValue(key, out var b)) switch
        {
            (true, true) => string.Equals(a, b, StringComparison.Ordinal) ? null : ConfigDriftKind.Changed,
            (true, false) => ConfigDriftKind.Added,
            (false, true) => ConfigDriftKind.Removed,
            _ => null,
        };
}
