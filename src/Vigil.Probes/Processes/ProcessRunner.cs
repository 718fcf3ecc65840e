using System.ComponentModel;
using System.Diagnostics;

namespace Vigil.Probes.Processes;

/// <summary>
/// Runs a <see cref="ProcessSpec"/> to completion with capped output capture. The process starts
/// in a process group of its own (via <c>setsid</c>), so on timeout or cancellation everything it
/// spawned is stopped with it: SIGTERM to the group, a grace period, then SIGKILL to the group and
/// a kill of the remaining process tree. Never throws for a failing or missing program; the result says.
/// </summary>
public sealed class ProcessRunner
{
    /// <summary>How long to wait for pipes to close after the kill before giving up on a descendant that escaped the group.</summary>
    private static readonly TimeSpan _drainAfterKill = TimeSpan.FromSeconds(1);

    private static readonly string? _setsid = FindSetsid();

    private readonly TimeProvider _timeProvider;

    public ProcessRunner(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Whether processes get a process group of their own (needs <c>setsid</c>; otherwise only the process tree is killed).</summary>
    public static bool UsesProcessGroups => _setsid is not null;

    /// <summary>Runs the process until it exits and its output is closed, it times out, or <paramref name="ct"/> is cancelled.</summary>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var start = _timeProvider.GetTimestamp();
        if (ct.IsCancellationRequested)
        {
            return new ProcessResult(ProcessOutcome.Cancelled, null, CapturedOutput.Empty, CapturedOutput.Empty, TimeSpan.Zero);
        }

        if (spec.WorkingDirectory is { Length: > 0 } cwd && !Directory.Exists(cwd))
        {
            return Failed($"working directory {cwd} does not exist");
        }

        var exe = ExecutableResolver.Resolve(spec, out var error);
        if (exe is null)
        {
            return Failed(error!);
        }

        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        if (_setsid is not null)
        {
            // setsid does not fork here (our child is never a group leader), so the pid we get is
            // the session and group leader and -pid addresses everything it spawns.
            psi.FileName = _setsid;
            psi.ArgumentList.Add(exe);
        }
        else
        {
            psi.FileName = exe;
        }

        foreach (var arg in spec.Arguments)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in spec.Environment)
        {
            psi.Environment[key] = value;
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            if (!process.Start())
            {
                return Failed($"{spec.FileName} did not start");
            }
        }
        catch (Win32Exception ex)
        {
            return Failed($"could not start {spec.FileName}: {ex.Message.TrimEnd('.')}");
        }

        var pid = process.Id;
        var stdout = new OutputCapture(spec.MaxOutputBytes);
        var stderr = new OutputCapture(spec.MaxOutputBytes);
        var pumps = Task.WhenAll(stdout.PumpAsync(process.StandardOutput.BaseStream, spec.OnStdout), stderr.PumpAsync(process.StandardError.BaseStream));
        _ = WriteInputAsync(process, spec.StandardInput);

        using var timeoutCts = new CancellationTokenSource(spec.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        var outcome = ProcessOutcome.Exited;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        try
        {
            // Done means exited and output closed: a background child still holding stdout keeps the run going, as in $(...).
            await Task.WhenAll(exited, pumps).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            outcome = ct.IsCancellationRequested ? ProcessOutcome.Cancelled : ProcessOutcome.TimedOut;
            await StopGroupAsync(process, pid, spec.KillGrace, exited, pumps);
        }

        int? exitCode = process.HasExited ? process.ExitCode : null;
        return new ProcessResult(outcome, exitCode, stdout.ToCaptured(), stderr.ToCaptured(), _timeProvider.GetElapsedTime(start));

        ProcessResult Failed(string message) =>
            new(ProcessOutcome.FailedToStart, null, CapturedOutput.Empty, CapturedOutput.Empty, _timeProvider.GetElapsedTime(start), message);
    }

    private async Task StopGroupAsync(Process process, int pid, TimeSpan grace, Task exited, Task pumps)
    {
        PosixSignals.SignalGroup(pid, PosixSignals.SigTerm);
        try
        {
            // Everyone holding our pipes has left once they close; that is the whole group in practice.
            await Task.WhenAll(exited, pumps).WaitAsync(grace, _timeProvider);
        }
        catch (TimeoutException)
        {
        }

        // SIGKILL whatever is left of the group even if the leader is gone: a child may have ignored SIGTERM.
        PosixSignals.SignalGroup(pid, PosixSignals.SigKill);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }

        try
        {
            await Task.WhenAll(exited, pumps).WaitAsync(_drainAfterKill, _timeProvider);
        }
        catch (TimeoutException)
        {
            // A descendant that left our group (its own setsid) still holds a pipe; stop reading.
            // Disposing the Process closes our ends of the pipes and ends the pumps.
        }
    }

    private static async Task WriteInputAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process exited without reading its input.
        }
    }

    private static string? FindSetsid()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var path in new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid" })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
