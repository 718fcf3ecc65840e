namespace Vigil.Core.Runbooks;

/// <summary>Where and why a run stopped: the plain data <see cref="RunOutcomes.Decide"/> turns into its outcome.</summary>
/// <param name="Reason">What stopped it.</param>
/// <param name="Step">The step it stopped at.</param>
/// <param name="ExitCode">For <see cref="RunStopReason.StepFailed"/>: the exit code, when the step started.</param>
/// <param name="By">For <see cref="RunStopReason.ConfirmationDeclined"/>: who answered no.</param>
/// <param name="Freeze">For <see cref="RunStopReason.FrozenStepRefused"/>: the freeze that covers it.</param>
/// <param name="ConfirmTimeout">For <see cref="RunStopReason.ConfirmationTimedOut"/>: how long it waited.</param>
public sealed record RunStop(
    RunStopReason Reason,
    PlannedStep Step,
    int? ExitCode = null,
    string? By = null,
    Operations.Freeze? Freeze = null,
    TimeSpan? ConfirmTimeout = null)
{
    /// <summary>For <see cref="RunStopReason.GateFailed"/>: which check and why; for <see cref="RunStopReason.ConditionFailed"/>: why the condition could not be decided.</summary>
    public string? Detail { get; init; }

    /// <summary>True when the run ends as cancelled (no rollback): a cancel, a declined or unanswered confirmation.</summary>
    public bool IsCancel => Reason is RunStopReason.Cancelled or RunStopReason.ConfirmationDeclined or RunStopReason.ConfirmationTimedOut;
}
