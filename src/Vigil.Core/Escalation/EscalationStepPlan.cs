namespace Vigil.Core.Escalation;

/// <summary>One step of one pass of an escalation, due at a fixed time (what <see cref="EscalationPlanner"/> plans and the store keeps as a row).</summary>
public sealed record EscalationStepPlan(int Step, int Repeat, DateTimeOffset DueAt);
