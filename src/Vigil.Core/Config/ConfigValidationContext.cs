namespace Vigil.Core.Config;

/// <summary>What cross-key and cross-reference rules need: the config, where its values came from, and the error sink.</summary>
internal sealed class ConfigValidationContext
{
    private readonly Dictionary<string, HashSet<string>> _ids;

    public ConfigValidationContext(VigilConfig config, ConfigSourceInfo sources, ConfigDiagnostics diagnostics, Dictionary<string, HashSet<string>> ids)
    {
        Config = config;
        Sources = sources;
        Diagnostics = diagnostics;
        _ids = ids;
    }

    public VigilConfig Config { get; }

    public ConfigSourceInfo Sources { get; }

    public ConfigDiagnostics Diagnostics { get; }

    /// <summary>Reports an error at <paramref name="path"/> (or its nearest written ancestor).</summary>
    public void Error(string path, string message) => Diagnostics.Error(Sources.Find(path), path, message);

    /// <summary>Reports a warning (the config still loads) at <paramref name="path"/> (or its nearest written ancestor).</summary>
    public void Warning(string path, string message) => Diagnostics.Warning(Sources.Find(path), path, message);

    /// <summary>Whether the key at <paramref name="path"/> was written in a file (rather than left to its default).</summary>
    public bool IsSet(string path) => Sources.IsSet(path);

    /// <summary>The ids defined in a top-level section such as <c>services</c>.</summary>
    public IReadOnlySet<string> Ids(string section) => _ids.TryGetValue(section, out var ids) ? ids : [];
}
