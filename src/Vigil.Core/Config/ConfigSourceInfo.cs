namespace Vigil.Core.Config;

/// <summary>
/// Where each value of a loaded config came from, by key path, and which values were written as
/// <c>${VAR}</c> templates (and so are shown by template in the digest and masked by the renderer).
/// </summary>
internal sealed class ConfigSourceInfo(SourceLocation root, Func<string, string>? shortName = null)
{
    private readonly Func<string, string> _shortName = shortName ?? (f => f);

    public SourceLocation Root { get; } = root;

    /// <summary>A file name for use inside messages: relative to the root config's folder when it is under it.</summary>
    public string ShortName(string file) => _shortName(file);

    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>Canonical template text of every env-expanded scalar, by key path.</summary>
    public Dictionary<string, string> Templates { get; } = new(StringComparer.Ordinal);

    /// <summary>The location of <paramref name="path"/>, or of its nearest written ancestor.</summary>
    public SourceLocation Find(string path)
    {
        var p = path;
        while (p.Length > 0)
        {
            if (Locations.TryGetValue(p, out var at))
            {
                return at;
            }

            p = ConfigPath.Parent(p);
        }

        return Root;
    }
}
