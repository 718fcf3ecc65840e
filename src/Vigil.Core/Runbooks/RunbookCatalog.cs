using System.Text;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>A runbook file in the catalog.</summary>
/// <param name="Id">Front-matter <c>id</c>, or derived from the path (see <see cref="RunbookCatalog.IdFromPath"/>).</param>
/// <param name="FullPath">The absolute file path.</param>
/// <param name="Path">The path shown to people: relative to the config folder when inside it.</param>
/// <param name="Markdown">The file's text.</param>
/// <param name="Runbook">The parsed runbook.</param>
/// <param name="Services">Services that link this runbook: its front-matter <c>service</c> and services listing it in <c>runbooks:</c>.</param>
public sealed record CatalogEntry(string Id, string FullPath, string Path, string Markdown, Runbook Runbook, IReadOnlyList<string> Services)
{
    /// <summary>The runbook's title: front matter, else its first heading, else its id.</summary>
    public string Title => Runbook.Metadata.Title ?? Runbook.Heading ?? Id;

    /// <summary>The service whose freezes govern this runbook's mutating steps: front matter, else the only linking service.</summary>
    public string? Service => Runbook.Metadata.Service ?? (Services.Count == 1 ? Services[0] : null);
}

/// <summary>A runbook file that could not be read or clashes with another.</summary>
public sealed record CatalogProblem(string Path, string Message);

/// <summary>
/// The runbooks of a config: every <c>*.md</c> under <c>runbooks.paths</c> plus files named by services'
/// <c>runbooks:</c>. Read from disk on each load (cheap: a parse is well under a millisecond for a
/// typical runbook), so edited runbooks take effect without a reload.
/// </summary>
public sealed class RunbookCatalog
{
    /// <summary>Files larger than this (1 MiB) are refused rather than parsed.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    private readonly string _baseDirectory;
    private readonly string _stamp;

    private RunbookCatalog(IReadOnlyList<CatalogEntry> entries, IReadOnlyList<CatalogProblem> problems, string baseDirectory, string stamp)
    {
        Entries = entries;
        Problems = problems;
        _baseDirectory = baseDirectory;
        _stamp = stamp;
    }

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public IReadOnlyList<CatalogProblem> Problems { get; }

    /// <summary>
    /// Loads the runbooks a config names. Missing folders and unreadable files become <see cref="Problems"/>.
    /// With <paramref name="previous"/>, the files are only listed and stat'ed: when the config and every
    /// file's size and modification time are unchanged, <paramref name="previous"/> is returned as is.
    /// </summary>
    public static RunbookCatalog Load(VigilConfig config, RunbookCatalog? previous = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<CatalogProblem>();
        var files = FindFiles(config, problems);
        var stamp = Stamp(config, files);
        if (previous is not null && previous._stamp == stamp)
        {
            return previous;
        }

        var entries = new List<CatalogEntry>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (full, root) in files)
        {
            var shown = Display(config.BaseDirectory, full);
            var entry = TryRead(full, shown, root, CommandTable.For(config.Runbooks), out var error);
            if (entry is null)
            {
                problems.Add(new CatalogProblem(shown, error!));
                continue;
            }

            if (seen.TryGetValue(entry.Id, out var other))
            {
                problems.Add(new CatalogProblem(shown, $"runbook id '{entry.Id}' is also the id of {other}; set a distinct 'id:' in the front matter of one of them"));
                continue;
            }

            seen[entry.Id] = shown;
            var services = config.Services
                .Where(s => s.Runbooks.Any(r => config.ResolvePath(r) == full || string.Equals(r, entry.Id, StringComparison.Ordinal)))
                .Select(s => s.Id);
            if (entry.Runbook.Metadata.Service is { } own)
            {
                services = services.Prepend(own);
            }

            entries.Add(entry with { Services = services.Distinct(StringComparer.Ordinal).ToList() });
        }

        return new RunbookCatalog(entries, problems, config.BaseDirectory, stamp);
    }

    // The config's digest and every file's path, size and modification time: equal stamps mean an equal catalog.
    private static string Stamp(VigilConfig config, IReadOnlyList<(string Full, string Root)> files)
    {
        var sb = new StringBuilder(config.Digest);
        foreach (var (full, _) in files)
        {
            var info = new FileInfo(full);
            sb.Append('\n').Append(full).Append('|').Append(info.Exists ? info.Length : -1).Append('|').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
        }

        return sb.ToString();
    }

    private static List<(string Full, string Root)> FindFiles(VigilConfig config, List<CatalogProblem> problems)
    {
        var files = new List<(string Full, string Root)>();
        foreach (var configured in config.Runbooks.Paths)
        {
            var full = config.ResolvePath(configured);
            if (File.Exists(full))
            {
                files.Add((full, System.IO.Path.GetDirectoryName(full)!));
            }
            else if (Directory.Exists(full))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(full, "*.md", Recursive).Order(StringComparer.Ordinal).Select(f => (f, full)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add(new CatalogProblem(configured, $"runbooks.paths entry {configured} cannot be listed: {ex.Message}"));
                }
            }
            else
            {
                problems.Add(new CatalogProblem(configured, $"runbooks.paths names {configured}, which does not exist (resolved to {full}); create it or fix the path"));
            }
        }

        foreach (var service in config.Services)
        {
            foreach (var linked in service.Runbooks)
            {
                var full = config.ResolvePath(linked);
                if (File.Exists(full) && !files.Any(f => f.Full == full))
                {
                    files.Add((full, System.IO.Path.GetDirectoryName(full)!));
                }
            }
        }

        return files.DistinctBy(f => f.Full).ToList();
    }

    /// <summary>Reads one runbook file outside any catalog (for <c>lint</c>, <c>show</c> and <c>plan</c> on a path).</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="shownPath">The path as the user wrote it, used in messages and findings.</param>
    /// <param name="error">Why it could not be read, when null is returned.</param>
    /// <param name="commands">The hazard table to class step commands with (default: the built-in one).</param>
    public static CatalogEntry? ReadFile(string fullPath, string shownPath, out string? error, CommandTable? commands = null)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        ArgumentNullException.ThrowIfNull(shownPath);
        return TryRead(fullPath, shownPath, System.IO.Path.GetDirectoryName(fullPath)!, commands ?? CommandTable.Default, out error);
    }

    /// <summary>
    /// The id of a runbook without a front-matter id: its path under the runbook folder without the
    /// <c>.md</c>, lower-cased, with every run of characters outside <c>[a-z0-9._]</c> turned into <c>-</c>
    /// (<c>db/Restore Backup.md</c> → <c>db-restore-backup</c>).
    /// </summary>
    public static string IdFromPath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var withoutExtension = relativePath.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? relativePath[..^3] : relativePath;
        var sb = new StringBuilder();
        foreach (var c in withoutExtension.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var id = sb.ToString().Trim('-', '.');
        return id.Length == 0 ? "runbook" : id;
    }

    /// <summary>The entry with this id, or at this path (relative to the config folder, or absolute).</summary>
    public CatalogEntry? Find(string idOrPath)
    {
        ArgumentNullException.ThrowIfNull(idOrPath);
        if (Entries.FirstOrDefault(e => string.Equals(e.Id, idOrPath, StringComparison.OrdinalIgnoreCase)) is { } byId)
        {
            return byId;
        }

        string full;
        try
        {
            full = System.IO.Path.GetFullPath(idOrPath, _baseDirectory.Length == 0 ? Directory.GetCurrentDirectory() : _baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null; // not a path (a NUL in it, say)
        }

        return Entries.FirstOrDefault(e => e.FullPath == full);
    }

    /// <summary>The runbooks linked to a service.</summary>
    public IReadOnlyList<CatalogEntry> ForService(string service) =>
        Entries.Where(e => e.Services.Contains(service, StringComparer.Ordinal)).ToList();

    /// <summary>Whether a config reference (an id or a path relative to the config folder) names a catalog runbook.</summary>
    public bool Resolves(string reference) => Find(reference) is not null;

    private static CatalogEntry? TryRead(string full, string shown, string root, CommandTable commands, out string? error)
    {
        error = null;
        // Regular files only (a FIFO named x.md would block the catalog forever), at most MaxFileBytes.
        if (!RegularFile.TryReadText(full, MaxFileBytes, out var markdown, out var problem, out _))
        {
            error = $"{shown} {problem}";
            return null;
        }

        var runbook = RunbookParser.Parse(markdown, shown, commands);
        var id = runbook.Metadata.Id is { Length: > 0 } declared ? declared : IdFromPath(System.IO.Path.GetRelativePath(root, full));
        return new CatalogEntry(id, full, shown, markdown, runbook, runbook.Metadata.Service is { } s ? [s] : []);
    }

    private static string Display(string baseDirectory, string full)
    {
        if (baseDirectory.Length == 0)
        {
            return full;
        }

        var relative = System.IO.Path.GetRelativePath(baseDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative.Replace('\\', '/');
    }
}
