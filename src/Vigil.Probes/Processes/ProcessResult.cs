namespace Vigil.Probes.Processes;

/// <summary>The result of <see cref="ProcessRunner.RunAsync"/>.</summary>
/// <param name="Outcome">How the run ended.</param>
/// <param name="ExitCode">The exit code when the process ended (128+signal when killed by a signal); null if it never started.</param>
/// <param name="Stdout">Captured standard output.</param>
/// <param name="Stderr">Captured standard error.</param>
/// <param name="Duration">From start to the end of the run: the main process's exit and the stop of what it left behind, or the stop at the timeout or cancel.</param>
/// <param name="Error">Why the process did not start, for <see cref="ProcessOutcome.FailedToStart"/>.</param>
public sealed record ProcessResult(ProcessOutcome Outcome, int? ExitCode, CapturedOutput Stdout, CapturedOutput Stderr, TimeSpan Duration, string? Error = null)
{
    /// <summary>Exited by itself with code 0.</summary>
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;

    /// <summary>Processes the main process left running at its exit, which were then stopped (SIGTERM, grace, SIGKILL).</summary>
    public int LingeringKilled { get; init; }

    /// <summary>Whether output written after the main process's exit (by processes it left behind) was cut off rather than captured.</summary>
    public bool OutputCutOff { get; init; }
}
