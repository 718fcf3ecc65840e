using System.Globalization;

namespace Vigil.Server.Hosting;

/// <summary>
/// An exclusive OS lock on the data folder, held for the server's life: a second server on the
/// same folder would mark the first one's live runbook runs interrupted and race it on every
/// timer. The lock is <c>flock</c> on <c>vigil.lock</c> (taken by .NET for <see cref="FileShare.None"/>),
/// so it is released by the kernel when the process dies, however it dies. The holder's pid is kept in
/// <c>vigil.pid</c> so the refusal can name it. Clustered mode will replace this with database membership.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "vigil.lock";
    public const string PidFileName = "vigil.pid";

    private readonly FileStream _handle;
    private readonly string _pidFile;
    private int _disposed;

    private DataDirectoryLock(FileStream handle, string pidFile)
    {
        _handle = handle;
        _pidFile = pidFile;
    }

    /// <summary>Takes the lock, or returns the sentence that says who holds it and what to do.</summary>
    public static (DataDirectoryLock? Lock, string? Error) Acquire(string dataDirectory)
    {
        var lockPath = Path.Combine(dataDirectory, LockFileName);
        var pidPath = Path.Combine(dataDirectory, PidFileName);
        FileStream handle;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            handle = new FileStream(lockPath, options);
        }
        catch (IOException ex)
        {
            if (NotWritable(dataDirectory) is { } why)
            {
                return (null, $"Vigil cannot write its data folder {dataDirectory} ({why}); it keeps its store there. Make the folder writable (or remount it read-write), or pass --data DIR.");
            }

            if (!File.Exists(lockPath))
            {
                return (null, $"Cannot lock the data folder {dataDirectory}: {ex.Message}");
            }

            var holder = ReadPid(pidPath);
            return (null,
                $"Another Vigil server{(holder is null ? "" : $" (pid {holder})")} is already using the data folder {dataDirectory} (it holds {lockPath}). " +
                "Stop that server first, or give this one its own folder with --data DIR. Two servers on one folder would interrupt each other's runbook runs.");
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"Vigil cannot write its data folder {dataDirectory} (permission denied); it keeps its store there. Make the folder writable by the user running Vigil, or pass --data DIR.");
        }

        try
        {
            File.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + Environment.NewLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lock itself is what matters; without the pid file the refusal just cannot name the holder.
        }

        return (new DataDirectoryLock(handle, pidPath), null);
    }

    /// <summary>Why a file cannot be created in <paramref name="directory"/> (a read-only file system, say), or null.</summary>
    private static string? NotWritable(string directory)
    {
        var probe = Path.Combine(directory, $".vigil-write-probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException ex)
        {
            return ex.Message.Replace($" : '{probe}'", "", StringComparison.Ordinal).Trim();
        }
    }

    private static string? ReadPid(string pidPath)
    {
        try
        {
            var text = File.ReadAllText(pidPath).Trim();
            return text.Length is > 0 and <= 10 && text.All(char.IsAsciiDigit) ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(_pidFile) && File.ReadAllText(_pidFile).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                File.Delete(_pidFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _handle.Dispose();
    }
}
