using System.Diagnostics;
using System.Globalization;

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
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(pidFile) ? await File.ReadAllTextAsync(pidFile) : string.Empty;
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

            if (deadline.Elapsed > limit || _disposed.IsCancellationRequested)
            {
                throw new TimeoutException($"{pidFile} was not written within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(20);
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

    /// <summary>Awaits the process's end, bounded generously for a busy machine; false if it is still there at the bound.</summary>
    public static async Task<bool> GoneAsync(int pid, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(30);
        while (IsAlive(pid))
        {
            if (deadline.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

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
