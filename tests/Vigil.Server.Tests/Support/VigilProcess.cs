using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Vigil.Server.Tests.Support;

/// <summary>The real <c>vigil</c> executable as a child process, for crash and demo tests.</summary>
internal sealed partial class VigilProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private VigilProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static VigilProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>As <see cref="Start(string, string[])"/>, with <paramref name="environment"/> set for the child (after the machine's VIGIL_* are removed).</summary>
    public static VigilProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("VIGIL_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var vp = new VigilProcess(process);
        process.OutputDataReceived += (_, e) => vp.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => vp.OnLine(e.Data);
        process.Exited += (_, _) => vp._listening.TrySetException(new InvalidOperationException($"vigil exited with {process.ExitCode} before listening:\n{vp.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return vp;
    }

    /// <summary>Waits (bounded) for the "listening on" line and returns the address.</summary>
    public async Task<Uri> WaitListeningAsync(TimeSpan? timeout = null) =>
        await _listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Waits for output matching <paramref name="pattern"/>, woken by each new line (no polling); bounded by <paramref name="timeout"/>.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = Volatile.Read(ref _lineArrived).Task;
            if (pattern.Match(Output) is { Success: true } m)
            {
                return m;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"vigil printed nothing matching {pattern} within {timeout.TotalSeconds:0} s:\n{Output}");
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for a graceful exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGSTOP: the process is frozen (no thread runs, its clock goes on) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        if (Kill(_process.Id, 19) != 0)
        {
            throw new InvalidOperationException($"SIGSTOP to {_process.Id} failed");
        }
    }

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public void Resume()
    {
        if (Kill(_process.Id, 18) != 0)
        {
            throw new InvalidOperationException($"SIGCONT to {_process.Id} failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_out)
        {
            _out.AppendLine(line);
        }

        Interlocked.Exchange(ref _lineArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        var m = ListeningLine().Match(line);
        if (m.Success)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"listening on (http://\S+?)/? ")]
    private static partial Regex ListeningLine();
}
