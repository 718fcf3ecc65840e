namespace Vigil.Core.Runbooks;

/// <summary>Why a run stopped before its last step.</summary>
public enum RunStopReason
{
    /// <summary>A step exited non-zero (or did not start).</summary>
    StepFailed,

    /// <summary>A step ran past its timeout and was stopped.</summary>
    StepTimedOut,

    /// <summary>The run was cancelled (by a person, or the server stopping) while a step ran or before the next.</summary>
    Cancelled,

    /// <summary>A mutating step was refused because a freeze covers the runbook's service.</summary>
    FrozenStepRefused,

    /// <summary>Someone answered <c>no</c> to a confirmation.</summary>
    ConfirmationDeclined,

    /// <summary>Nobody answered a confirmation within <c>runbooks.confirm_timeout</c>.</summary>
    ConfirmationTimedOut,

    /// <summary>A step's health gate failed: a wait ran past its timeout, or a watched check went critical.</summary>
    GateFailed,

    /// <summary>A step's <c>when=</c> condition could not be decided (its pattern ran past the time limit).</summary>
    ConditionFailed,

    /// <summary>A step's interpreter (pwsh for a PowerShell block) is not installed on the server's host; the step did not start.</summary>
    InterpreterMissing,
}
