namespace Vigil.Probes.Processes;

/// <summary>How a process run ended.</summary>
public enum ProcessOutcome
{
    /// <summary>The process exited by itself; see <see cref="ProcessResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>It ran past its timeout and its process group was stopped.</summary>
    TimedOut,

    /// <summary>The caller cancelled the run and its process group was stopped.</summary>
    Cancelled,

    /// <summary>It never started (program not found, not executable, bad working directory).</summary>
    FailedToStart,
}
