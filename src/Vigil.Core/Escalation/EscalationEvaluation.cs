namespace Vigil.Core.Escalation;

/// <summary>
/// What evaluating a triggered incident's escalation decided (see <see cref="EscalationRules.Evaluate"/>).
/// </summary>
/// <param name="Replan">The incident was reopened since its escalation: drop its old step rows first.</param>
/// <param name="TicketNotifiers">Low-urgency notifiers named by the severity, told once about a new escalation.</param>
/// <param name="Before">The escalation as it stood, for the audit entry (null when new or replanned).</param>
/// <param name="Next">The escalation to store, or null when nothing changed (still held for the same reason).</param>
/// <param name="Steps">The steps to plan (only when paging starts).</param>
public sealed record EscalationEvaluation(bool Replan, IReadOnlyList<string> TicketNotifiers, EscalationRecord? Before, EscalationRecord? Next, IReadOnlyList<EscalationStepPlan> Steps);
