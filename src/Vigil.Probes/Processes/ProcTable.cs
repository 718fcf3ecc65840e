using System.Globalization;
using System.Text;

namespace Vigil.Probes.Processes;

/// <summary>One process as /proc/PID/stat describes it.</summary>
/// <param name="StartTime">Clock ticks after boot; with the pid, it names the process even after the pid is recycled.</param>
internal readonly record struct ProcEntry(int Pid, int ParentPid, int GroupId, int SessionId, ulong StartTime, char State)
{
    /// <summary>Exited, waiting for its parent to collect it; a signal can no longer reach it.</summary>
    public bool IsZombie => State is 'Z' or 'X';
}

/// <summary>Reads the Linux process table from /proc. Unreadable or vanished entries are skipped, never thrown.</summary>
internal static class ProcTable
{
    private const string Root = "/proc";

    /// <summary>Whether /proc is there to read (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>Every process that started at or after <paramref name="startedSince"/> (clock ticks after boot).</summary>
    public static List<ProcEntry> Snapshot(ulong startedSince)
    {
        var entries = new List<ProcEntry>();
        if (!Available)
        {
            return entries;
        }

        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            if (int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } entry && entry.StartTime >= startedSince)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public static ProcEntry? Read(int pid)
    {
        // One read into a small buffer: this runs for every process on the host at each scan, so no StreamReader.
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            using var handle = File.OpenHandle($"{Root}/{pid}/stat");
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, Encoding.UTF8.GetString(buffer[..length]));
    }

    public static ulong? StartTime(int pid) => Read(pid)?.StartTime;

    /// <summary>Parses "pid (comm) state ppid pgrp session … starttime …"; comm may hold spaces and parentheses, so fields count from the last ')'.</summary>
    internal static ProcEntry? Parse(int pid, string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ppid)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcEntry(pid, ppid, pgrp, session, start, fields[0].Length > 0 ? fields[0][0] : '?');
    }

    /// <summary>Whether the process's environment (as it was at its exec) holds <paramref name="variable"/> exactly; false when unreadable.</summary>
    public static bool HasEnvironmentEntry(int pid, byte[] variable)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"{Root}/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var span = environ.AsSpan();
        var at = span.IndexOf(variable);
        while (at >= 0)
        {
            var end = at + variable.Length;
            if ((at == 0 || span[at - 1] == 0) && (end == span.Length || span[end] == 0))
            {
                return true;
            }

            var next = span[(at + 1)..].IndexOf(variable);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    /// <summary>Whether any of <paramref name="processes"/> has a file descriptor on one of <paramref name="targets"/> (link texts such as <c>pipe:[1234]</c>).</summary>
    public static bool AnyHolds(IEnumerable<ProcEntry> processes, IReadOnlySet<string> targets)
    {
        if (targets.Count == 0)
        {
            return false;
        }

        foreach (var p in processes)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"{Root}/{p.Pid}/fd"))
                {
                    if (FdTarget(fd) is { } target && targets.Contains(target))
                    {
                        return true;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to look at.
            }
        }

        return false;
    }

    /// <summary>What a /proc/PID/fd/N link names (<c>pipe:[1234]</c>, a path), or null.</summary>
    public static string? FdTarget(string fdLink)
    {
        try
        {
            return new FileInfo(fdLink).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The NUL-free UTF-8 form of NAME=VALUE, as it appears in /proc/PID/environ.</summary>
    public static byte[] EnvironmentEntry(string name, string value) => Encoding.UTF8.GetBytes($"{name}={value}");
}
