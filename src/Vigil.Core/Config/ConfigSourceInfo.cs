namespace Vigil.Core.Config;

/// <summary>
/// Where each value of a loaded config came from, by key path, and which values were written as
/// <c>${VAR}</c> templates (and so are shown by template in the digest and masked by the renderer).
/// </summary>
internal sealed class ConfigSourceInfo(SourceLocation root, Func<string, string>? shortName = null)
{
    private readonly Func<string, string> _shortName = shortName ?? (f => f);

    // After Seal: locations keyed by a 64-bit hash of the path instead of the path string. With
    // 10,000 checks there are ~110,000 paths; as strings they were ~17 MB of the loaded config's
    // live heap, kept for the config's lifetime (docs/performance.md).
    private Dictionary<ulong, PackedLocation>? _sealed;
    private string[] _files = [];

    public SourceLocation Root { get; } = root;

    /// <summary>A file name for use inside messages: relative to the root config's folder when it is under it.</summary>
    public string ShortName(string file) => _shortName(file);

    /// <summary>Filled while the config is bound; emptied by <see cref="Seal"/>.</summary>
    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>Canonical template text of every env-expanded scalar, by key path.</summary>
    public Dictionary<string, string> Templates { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="path"/> was written in the config.</summary>
    public bool IsSet(string path) => TryGet(path, out _);

    /// <summary>The location of <paramref name="path"/>, or of its nearest written ancestor.</summary>
    public SourceLocation Find(string path)
    {
        var p = path;
        while (p.Length > 0)
        {
            if (TryGet(p, out var at))
            {
                return at;
            }

            p = ConfigPath.Parent(p);
        }

        return Root;
    }

    /// <summary>
    /// Packs the locations for the config's lifetime once binding and validation are done: keyed by a
    /// 64-bit hash of the path (a collision, about 1 in 10^9 for 100,000 paths, would only name a wrong line
    /// in a later lint message), with each file name stored once.
    /// </summary>
    public void Seal()
    {
        if (_sealed is not null)
        {
            return;
        }

        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        var packed = new Dictionary<ulong, PackedLocation>(Locations.Count);
        foreach (var (path, at) in Locations)
        {
            if (!files.TryGetValue(at.File, out var index))
            {
                index = files.Count;
                files.Add(at.File, index);
            }

            packed[Hash(path)] = new PackedLocation(index, at.Line, at.Column);
        }

        _files = new string[files.Count];
        foreach (var (file, index) in files)
        {
            _files[index] = file;
        }

        _sealed = packed;
        Locations.Clear();
        Locations.TrimExcess();
    }

    private bool TryGet(string path, out SourceLocation at)
    {
        if (_sealed is null)
        {
            return Locations.TryGetValue(path, out at);
        }

        if (_sealed.TryGetValue(Hash(path), out var p))
        {
            at = new SourceLocation(_files[p.File], p.Line, p.Column);
            return true;
        }

        at = default;
        return false;
    }

    /// <summary>FNV-1a over the path's UTF-16 code units.</summary>
    private static ulong Hash(string path)
    {
        var h = 14695981039346656037UL;
        foreach (var c in path)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    private readonly record struct PackedLocation(int File, int Line, int Column);
}
