using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Vigil.Probes.Processes;

/// <summary>
/// Runs a <see cref="ProcessSpec"/> with capped output capture, and keeps everything it starts contained.
/// The process starts in a session and process group of its own (via <c>setsid</c>) and carries a unique
/// <see cref="ProcessContainment.TagVariable"/> in its environment, by which its descendants are found even
/// after they <c>setsid</c> or double-fork away from the group (<see cref="ProcessContainment"/>).
/// <para>
/// The run ends when the main process exits, not when its output closes. Output still in the pipes at that
/// moment is kept; anything written later by processes it left behind is cut off
/// (<see cref="ProcessResult.OutputCutOff"/>), and those processes are stopped: SIGTERM, a grace period, SIGKILL
/// (<see cref="ProcessResult.LingeringKilled"/>). On timeout or cancellation the whole set, the main process
/// included, is stopped the same way. Never throws for a failing or missing program; the result says.
/// </para>
/// </summary>
public sealed class ProcessRunner
{
    /// <summary>After the kill, how long to wait for the pipes to close before giving up on a holder that could not be found.</summary>
    private static readonly TimeSpan _drainAfterKill = TimeSpan.FromSeconds(1);

    /// <summary>After the main process's exit, the bound on reading what it left in the pipes (normally immediate).</summary>
    private static readonly TimeSpan _drainAfterExit = TimeSpan.FromSeconds(1);

    private static readonly string? _setsid = FindSetsid();

    private readonly TimeProvider _timeProvider;

    public ProcessRunner(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Whether processes get a process group of their own (needs <c>setsid</c>; otherwise only the process tree is killed).</summary>
    public static bool UsesProcessGroups => _setsid is not null;

    /// <summary>Whether descendants that left the process group (setsid, double fork) are found and stopped too (Linux: needs /proc).</summary>
    public static bool FindsDetachedDescendants => ProcessContainment.Supported;

    /// <summary>Runs the process until it exits (then stops what it left behind), it times out, or <paramref name="ct"/> is cancelled.</summary>
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

        var containment = new ProcessContainment();
        psi.Environment[ProcessContainment.TagVariable] = containment.Tag; // set last: a spec cannot override it

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

        containment.Attach(process.Id);
        var stdoutStream = process.StandardOutput.BaseStream;
        var stderrStream = process.StandardError.BaseStream;
        var stdout = new OutputCapture(spec.MaxOutputBytes);
        var stderr = new OutputCapture(spec.MaxOutputBytes);
        var stdoutPump = stdout.PumpAsync(stdoutStream, spec.OnStdout);
        var stderrPump = stderr.PumpAsync(stderrStream);
        var pumps = Task.WhenAll(stdoutPump, stderrPump);
        _ = WriteInputAsync(process, spec.StandardInput);

        using var timeoutCts = new CancellationTokenSource(spec.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        var outcome = ProcessOutcome.Exited;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var tracking = containment.TrackAsync(exited);
        var lingering = 0;
        var cutOff = false;
        try
        {
            // The end is the main process's exit: a background child still holding stdout does not keep the run going.
            await exited.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            outcome = ct.IsCancellationRequested ? ProcessOutcome.Cancelled : ProcessOutcome.TimedOut;
            await StopAllAsync(process, containment, spec.KillGrace, exited, pumps);
        }

        if (outcome == ProcessOutcome.Exited)
        {
            // What the pipes hold at the exit was written before it (by the process or its children): keep it, then stop reading.
            var settled = Task.WhenAll(
                Task.WhenAny(stdoutPump, stdout.KeepPendingAsync(PipeHandle(stdoutStream))),
                Task.WhenAny(stderrPump, stderr.KeepPendingAsync(PipeHandle(stderrStream))));
            await WaitQuietlyAsync(settled, _drainAfterExit);
            stdout.CutOff();
            stderr.CutOff();
            var left = containment.Members(includeMain: false);
            var heldOutput = ProcTable.AnyHolds(left, PipeIds(stdoutStream, stderrStream));
            if (left.Count > 0)
            {
                lingering = await containment.StopAsync(spec.KillGrace, _timeProvider, includeMain: false, signalMainGroup: static () => false);
            }

            // Once every holder is gone the pipes end at once; one that could not be found is not waited for.
            await WaitQuietlyAsync(pumps, _drainAfterKill);
            cutOff = heldOutput || !pumps.IsCompleted || stdout.DroppedBytes + stderr.DroppedBytes > 0;
        }

        stdout.Abandon();
        stderr.Abandon();
        await WaitQuietlyAsync(tracking, _drainAfterKill);
        int? exitCode = process.HasExited ? process.ExitCode : null;
        return new ProcessResult(outcome, exitCode, stdout.ToCaptured(), stderr.ToCaptured(), _timeProvider.GetElapsedTime(start))
        {
            LingeringKilled = lingering,
            OutputCutOff = cutOff,
        };

        ProcessResult Failed(string message) =>
            new(ProcessOutcome.FailedToStart, null, CapturedOutput.Empty, CapturedOutput.Empty, _timeProvider.GetElapsedTime(start), message);
    }

    private async Task StopAllAsync(Process process, ProcessContainment containment, TimeSpan grace, Task exited, Task pumps)
    {
        if (ProcessContainment.Supported)
        {
            await containment.StopAsync(grace, _timeProvider, includeMain: true, signalMainGroup: () => !process.HasExited);
        }
        else
        {
            await StopGroupAsync(process, grace, exited, pumps);
        }

        // Everything we could find is gone; a holder of the pipes we could not find is not waited for.
        await WaitQuietlyAsync(Task.WhenAll(exited, pumps), _drainAfterKill);
    }

    /// <summary>Without /proc: SIGTERM to the group, a grace period, SIGKILL to the group and .NET's kill of the process tree.</summary>
    private async Task StopGroupAsync(Process process, TimeSpan grace, Task exited, Task pumps)
    {
        var pid = process.Id;
        Posix.SignalGroup(pid, Posix.SigTerm);
        try
        {
            await Task.WhenAll(exited, pumps).WaitAsync(grace, _timeProvider);
        }
        catch (TimeoutException)
        {
        }

        // SIGKILL whatever is left of the group even if the leader is gone: a child may have ignored SIGTERM.
        Posix.SignalGroup(pid, Posix.SigKill);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Awaits <paramref name="task"/> up to a bound in real time (an implementation bound, not a configured duration).</summary>
    private static async Task WaitQuietlyAsync(Task task, TimeSpan bound)
    {
        try
        {
            await task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The pipes' names in /proc (<c>pipe:[inode]</c>, the same for both ends), to see who else holds them.</summary>
    private static HashSet<string> PipeIds(params Stream[] streams)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in streams)
        {
            if (PipeHandle(stream) is { IsInvalid: false, IsClosed: false } handle
                && ProcTable.FdTarget($"/proc/self/fd/{handle.DangerousGetHandle()}") is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static SafeHandle? PipeHandle(Stream stream)
    {
        try
        {
            return stream switch
            {
                PipeStream pipe => pipe.SafePipeHandle,
                FileStream file => file.SafeFileHandle,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            return null;
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
