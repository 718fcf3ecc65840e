namespace Vigil.Core.Escalation;

/// <summary>Where a planned escalation step stands (stored as its lower-case name).</summary>
public enum EscalationStepState
{
    /// <summary>Waiting for its due time.</summary>
    Pending,

    /// <summary>Ran: its notifications were queued.</summary>
    Done,

    /// <summary>Will not run: the incident was acknowledged or resolved, the step was superseded, or the policy changed.</summary>
    Cancelled,
}
