using System.Runtime.InteropServices;

namespace Vigil.Probes.Processes;

/// <summary>kill(2), to signal a whole process group, which <see cref="System.Diagnostics.Process"/> cannot do.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends a signal to the process group led by <paramref name="pid"/> and to the process itself; errors (already gone) are ignored.</summary>
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
