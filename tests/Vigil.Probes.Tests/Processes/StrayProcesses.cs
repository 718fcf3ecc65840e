using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Vigil.Tests.Processes;

/// <summary>
/// Processes a test's script started and reported through pid files (<c>echo $! &gt; child.pid</c>).
/// Waits for them to be gone (await, never a fixed sleep), and on dispose SIGKILLs any that are still
/// there, so a failing test leaves no stray <c>sleep 1000</c> behind. A pid is remembered with its start
/// time, so a recycled pid is never mistaken for the child or killed. Linked into Vigil.Server.Tests too.
/// </summary>
internal sealed class StrayProcesses : IDisposable
{
    private readonly List<(int Pid, string StartTime)> _known = [];
    private readonly Dictionary<string, Task<int>> _watched = [];
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// Starts reading the pid file in the background as soon as it is written, before the run ends, so the child is
    /// known (and killed on dispose) even when an assertion about the run fails first. Returns the file's path.
    /// </summary>
    public string Watch(string pidFile)
    {
        lock (_watched)
        {
            if (!_watched.ContainsKey(pidFile))
            {
                _watched[pidFile] = ReadAsync(pidFile, TimeSpan.FromMinutes(5));
            }
        }

        return pidFile;
    }

    /// <summary>The pid the script wrote to the file, waiting for it to appear and be complete (a line ending in a newline).</summary>
    public Task<int> ReadPidAsync(string pidFile)
    {
        lock (_watched)
        {
            return _watched.TryGetValue(pidFile, out var watched) ? watched.WaitAsync(TimeSpan.FromSeconds(60)) : ReadAsync(pidFile, TimeSpan.FromSeconds(60));
        }
    }

    private async Task<int> ReadAsync(string pidFile, TimeSpan limit)
    {
        // The limit only keeps a broken test from hanging; nothing here measures how fast the script was.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        guard.CancelAfter(limit);
        try
        {
            while (true)
            {
                var text = File.Exists(pidFile) ? await File.ReadAllTextAsync(pidFile, guard.Token) : string.Empty;
                if (text.EndsWith('\n') && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    if (StartTime(pid) is { } start)
                    {
                        lock (_known)
                        {
                            _known.Add((pid, start));
                        }
                    }

                    return pid;
                }

                await Task.Delay(20, guard.Token);
            }
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            throw new TimeoutException($"{pidFile} was not written (gave up after {limit.TotalSeconds:0} s, or the test ended)");
        }
    }

    /// <summary>Whether the process is there and not a zombie (a zombie has exited and only awaits its parent's wait).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>
    /// Awaits the process's end as an event: a pidfd turns readable when the process exits (a zombie counts). The
    /// bound only keeps a broken test from hanging; false if the process is still there when it passes.
    /// </summary>
    public static async Task<bool> GoneAsync(int pid, TimeSpan? within = null)
    {
        var fd = (int)PidfdOpen(SysPidfdOpen, pid, 0);
        if (fd < 0)
        {
            return !IsAlive(pid); // ESRCH: gone and reaped
        }

        try
        {
            using var guard = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(2));
            await Task.Run(() =>
            {
                var fds = new PollFd { Fd = fd, Events = PollIn };
                while (!guard.IsCancellationRequested && Poll(ref fds, 1, 100) <= 0)
                {
                }
            });
            return !IsAlive(pid);
        }
        finally
        {
            _ = CloseFd(fd);
        }
    }

    private const long SysPidfdOpen = 434;
    private const short PollIn = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long PidfdOpen(long number, long pid, long flags);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Poll(ref PollFd fds, ulong count, int timeoutMs);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CloseFd(int fd);

    public void Dispose()
    {
        _disposed.Cancel();
        lock (_known)
        {
            foreach (var (pid, start) in _known)
            {
                if (IsAlive(pid) && StartTime(pid) == start)
                {
                    try
                    {
                        using var process = Process.GetProcessById(pid);
                        process.Kill();
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        // Gone meanwhile.
                    }
                }
            }
        }
    }

    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
