using System.Formats.Tar;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Vigil.Server.Backups;

/// <summary>
/// The tar side of a <c>paths</c> job. Each listed path is archived under its name as written (without a
/// leading <c>/</c>), so <c>/etc/nginx</c> restores to <c>DIR/etc/nginx</c>; excludes match inside each folder.
/// </summary>
internal static class PathsArchive
{
    /// <summary>Writes the archive; returns the number of files. A listed path that does not exist is an error.</summary>
    public static async Task<int> WriteAsync(Stream output, IReadOnlyList<string> paths, IReadOnlyList<string> exclude, string baseDirectory, CancellationToken ct)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var pattern in exclude)
        {
            matcher.AddInclude(pattern.EndsWith('/') ? pattern + "**" : pattern);
        }

        var files = 0;
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var written in paths)
        {
            var full = Path.GetFullPath(Path.IsPathRooted(written) ? written : Path.Combine(baseDirectory, written));
            var name = EntryName(written);
            if (File.Exists(full))
            {
                await tar.WriteEntryAsync(full, name, ct);
                files++;
            }
            else if (Directory.Exists(full))
            {
                await tar.WriteEntryAsync(full, name, ct);
                files += await WriteFolderAsync(tar, full, name, string.Empty, matcher, exclude.Count > 0, ct);
            }
            else
            {
                throw new BackupSourceException($"the path {written} ({full}) does not exist; fix `paths` or create it");
            }
        }

        return files;
    }

    private static async Task<int> WriteFolderAsync(TarWriter tar, string folder, string name, string relative, Matcher matcher, bool excludes, CancellationToken ct)
    {
        var files = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var rel = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            var isDir = entry is DirectoryInfo && entry.LinkTarget is null;
            if (excludes && (matcher.Match(rel).HasMatches || (isDir && matcher.Match(rel + "/x").HasMatches)))
            {
                continue;
            }

            await tar.WriteEntryAsync(entry.FullName, name + "/" + rel, ct);
            if (isDir)
            {
                files += await WriteFolderAsync(tar, entry.FullName, name, rel, matcher, excludes, ct);
            }
            else
            {
                files++;
            }
        }

        return files;
    }

    private static string EntryName(string written)
    {
        var n = written.Replace('\\', '/').TrimEnd('/');
        while (n.StartsWith("./", StringComparison.Ordinal))
        {
            n = n[2..];
        }

        return n.TrimStart('/');
    }

    /// <summary>Whether <paramref name="entry"/> is selected by <c>--only</c> (none given: everything).</summary>
    public static bool Selected(string entry, IReadOnlyList<string> only) =>
        only.Count == 0 || only.Select(o => EntryName(o)).Any(o => entry == o || entry.StartsWith(o + "/", StringComparison.Ordinal));

    /// <summary>
    /// Reads the archive; extracts the selected entries under <paramref name="target"/> unless
    /// <paramref name="dryRun"/>. Returns the selected entries (name, size).
    /// </summary>
    public static async Task<List<(string Name, long Size)>> ExtractAsync(Stream input, string? target, IReadOnlyList<string> only, bool dryRun, CancellationToken ct)
    {
        var selected = new List<(string, long)>();
        await using var tar = new TarReader(input, leaveOpen: true);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var name = entry.Name.TrimEnd('/');
            if (name.Length == 0 || name.Split('/').Any(p => p is ".." or "") || Path.IsPathRooted(name))
            {
                throw new BackupSourceException($"the archive holds an unsafe entry name `{entry.Name}`; refusing to restore it");
            }

            if (!Selected(name, only))
            {
                continue;
            }

            selected.Add((name, entry.Length));
            if (dryRun || target is null)
            {
                continue;
            }

            var path = Path.Combine(target, name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await entry.ExtractToFileAsync(path, overwrite: false, ct);
                    break;
                default:
                    break;
            }
        }

        return selected;
    }
}
