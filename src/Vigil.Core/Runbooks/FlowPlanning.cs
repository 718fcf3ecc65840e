namespace Vigil.Core.Runbooks;

/// <summary>
/// The plan-time checks of the flow constructs on steps (health gates; see docs/runbooks.md): a step whose gate does
/// not read makes the plan unrunnable, with the step, its line and how to write it.
/// </summary>
internal static class FlowPlanning
{
    public static IEnumerable<PlanProblem> Problems(Runbook runbook, RunbookProcedure chosen)
    {
        foreach (var step in chosen.Steps.Concat(chosen.Rollback))
        {
            if (!HealthGates.TryRead(step.Attributes, out _, out var error))
            {
                yield return new PlanProblem(null, $"{(step.IsRollback || chosen.Rollback.Contains(step) ? "rollback " : "")}step {step.Index} of {chosen.Slug} (line {step.Line}): {error}");
            }
        }
    }
}
