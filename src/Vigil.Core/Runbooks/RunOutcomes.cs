using Vigil.Core.Incidents;

namespace Vigil.Core.Runbooks;

/// <summary>
/// The rules that end a run, as pure functions: whether the rollback runs, and which status and error
/// sentence a run gets from what stopped it.
/// </summary>
public static class RunOutcomes
{
    /// <summary>
    /// Whether the rollback runs: it undoes what ran, so not after a cancel (or a declined confirmation), not
    /// when no step ran (a refusal before the first), and not when there is none.
    /// </summary>
    public static bool RollsBack(RunStop? stop, int executedSteps, int rollbackSteps) =>
        stop is not null && !stop.IsCancel && executedSteps > 0 && rollbackSteps > 0;

    /// <summary>
    /// The run's final status and error. A cancel while the server stops, with nobody having cancelled it,
    /// is <see cref="RunStatus.Interrupted"/>; any other cancel is <see cref="RunStatus.Cancelled"/>.
    /// </summary>
    /// <param name="stop">What stopped the run, or null when every step succeeded.</param>
    /// <param name="serverStopping">True when the server is shutting down.</param>
    /// <param name="cancelledBy">Who cancelled the run, or null.</param>
    /// <param name="cancelReason">Their reason, or null.</param>
    public static RunEnding Decide(RunStop? stop, bool serverStopping, string? cancelledBy, string? cancelReason)
    {
        if (stop is null)
        {
            return new RunEnding(RunStatus.Succeeded, null);
        }

        if (stop.IsCancel)
        {
            if (serverStopping && cancelledBy is null)
            {
                return new RunEnding(RunStatus.Interrupted, "the server stopped while the run was in flight");
            }

            return new RunEnding(RunStatus.Cancelled, StepError(stop)
                ?? $"cancelled by {cancelledBy ?? "the requester"}" + (cancelReason is null ? "" : ": " + cancelReason));
        }

        return new RunEnding(RunStatus.Failed, StepError(stop));
    }

    /// <summary>The sentence for a step that stopped the run, or null for a plain cancel.</summary>
    private static string? StepError(RunStop stop)
    {
        var step = stop.Step;
        return stop.Reason switch
        {
            RunStopReason.StepFailed => $"{Numbered(step)} ({Describe(step)}) failed" + (stop.ExitCode is { } code ? $" with exit code {code}" : ""),
            RunStopReason.StepTimedOut => $"{Numbered(step)} ({Describe(step)}) ran past its {Durations.Human(step.Timeout)} timeout and was stopped",
            RunStopReason.FrozenStepRefused => $"{Numbered(step)} ({Describe(step)}) changes something and {RunFreezes.Describe(stop.Freeze!)}; nothing was run. "
                + "An operator can run it with --override-freeze --reason R",
            RunStopReason.ConfirmationDeclined => $"{Numbered(step)} ({Describe(step)}) declined by {stop.By}",
            RunStopReason.GateFailed => $"{Numbered(step)} ({Describe(step)}) ran, but its gate failed: {stop.Detail}",
            RunStopReason.InterpreterMissing => stop.Detail,
            RunStopReason.ConditionFailed => $"{Numbered(step)} ({Describe(step)}) did not run: its when= could not be decided: {stop.Detail}",
            RunStopReason.ConfirmationTimedOut => $"nobody confirmed {Numbered(step)} within {Durations.Human(stop.ConfirmTimeout ?? TimeSpan.Zero)}",
            _ => null,
        };
    }

    /// <summary>"step 2", or "step 2 of diagnose-oom" for a step of a procedure the run branched to.</summary>
    public static string Numbered(PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return $"step {step.Index}" + (step.InBranch ? $" of {step.Procedure}" : "");
    }

    /// <summary>How a step is named in sentences: its name, else its line.</summary>
    public static string Describe(PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Name ?? $"line {step.Line}";
    }
}
