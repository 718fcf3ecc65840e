using System.Runtime.InteropServices;

namespace Vigil.Probes.Processes;

/// <summary>
/// The few libc calls <see cref="System.Diagnostics.Process"/> does not offer: signalling a process group,
/// signalling one process without the risk of hitting a recycled pid (a pidfd), and how many bytes wait in
/// a pipe. Every call ignores "already gone" errors; none of them throws.
/// </summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    // Syscall numbers 424 and 434 are the same on every Linux architecture (the unified table from 5.1 on).
    private const long SysPidfdSendSignal = 424;
    private const long SysPidfdOpen = 434;
    private const int Esrch = 3;
    private const int Eintr = 4;
    private const int Enosys = 38;
    private const ulong Fionread = 0x541B;

    private static volatile bool _noPidfd;

    /// <summary>Sends a signal to the process group led by <paramref name="pid"/> and to the process itself.</summary>
    public static void SignalGroup(int pid, int signal)
    {
        // Never signal pid 0/1 or a negative id: kill(-0) would hit our own group.
        if (pid <= 1 || OperatingSystem.IsWindows())
        {
            return;
        }

        _ = Kill(-pid, signal);
        _ = Kill(pid, signal);
    }

    /// <summary>
    /// Sends a signal to the process <paramref name="pid"/> only while it is still the one that started at
    /// <paramref name="startTime"/> (clock ticks after boot, from /proc/PID/stat). Through a pidfd the check and
    /// the signal address the same process even if the pid is recycled meanwhile; without pidfds (kernels before
    /// 5.3) a plain kill follows the check. Returns whether the signal was sent.
    /// </summary>
    public static bool SignalExact(int pid, ulong startTime, int signal)
    {
        if (pid <= 1 || pid == Environment.ProcessId || !OperatingSystem.IsLinux())
        {
            return false;
        }

        if (!_noPidfd)
        {
            var fd = (int)Syscall(SysPidfdOpen, pid, 0);
            if (fd >= 0)
            {
                try
                {
                    return ProcTable.StartTime(pid) == startTime && Syscall(SysPidfdSendSignal, fd, signal, 0, 0) == 0;
                }
                finally
                {
                    _ = Close(fd);
                }
            }

            if (Marshal.GetLastPInvokeError() != Enosys)
            {
                return false; // ESRCH: gone
            }

            _noPidfd = true;
        }

        return ProcTable.StartTime(pid) == startTime && Kill(pid, signal) == 0;
    }

    /// <summary>Whether kill(pid, 0) says the process exists (a zombie counts).</summary>
    public static bool Exists(int pid) => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != Esrch);

    /// <summary>Bytes written to a pipe and not read yet (FIONREAD), or null when the platform does not say.</summary>
    public static int? BytesAvailable(SafeHandle? pipe)
    {
        if (!OperatingSystem.IsLinux() || pipe is null || pipe.IsInvalid || pipe.IsClosed)
        {
            return null;
        }

        var added = false;
        try
        {
            pipe.DangerousAddRef(ref added);
            return Ioctl((int)pipe.DangerousGetHandle(), Fionread, out var count) == 0 ? count : null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                pipe.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for the pipe to have data or to be closed by every writer (poll).
    /// Returns whether it is ready; <paramref name="hungUp"/> says every writer has closed it.
    /// </summary>
    public static bool WaitReadable(SafeHandle pipe, int timeoutMs, out bool hungUp)
    {
        const short pollIn = 0x1, pollErr = 0x8, pollHup = 0x10, pollNval = 0x20;
        var fds = new PollFd { Fd = (int)pipe.DangerousGetHandle(), Events = pollIn };
        var ready = Poll(ref fds, 1, timeoutMs);
        if (ready < 0)
        {
            // EINTR: look again; anything else: treat as closed so the reader ends.
            hungUp = Marshal.GetLastPInvokeError() != Eintr;
            return hungUp;
        }

        hungUp = (fds.Revents & (pollErr | pollHup | pollNval)) != 0;
        return ready > 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Poll(ref PollFd fds, ulong count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial long Syscall(long number, long a1, long a2);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial long Syscall(long number, long a1, long a2, long a3, long a4);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Ioctl(int fd, ulong request, out int count);
}
