namespace Vigil.Core.Runbooks;

/// <summary>
/// The plan-time checks of the flow constructs on steps (health gates, branches; see docs/runbooks.md): a step whose gate,
/// on_fail or when does not read, an on_fail to no procedure and a cycle of branches make the plan unrunnable, with the
/// step, its line and how to fix it. The procedures the chosen one can branch to are checked as well as it.
/// </summary>
internal static class FlowPlanning
{
    public static IEnumerable<PlanProblem> Problems(Runbook runbook, RunbookProcedure chosen)
    {
        foreach (var procedure in RunbookBranches.Reachable(runbook, chosen.Slug).Select(slug => runbook.Procedures.First(p => p.Slug == slug)))
        {
            foreach (var step in procedure.Steps.Concat(procedure.Rollback))
            {
                if (!HealthGates.TryRead(step.Attributes, out _, out var error))
                {
                    yield return new PlanProblem(null, $"{(step.IsRollback || procedure.Rollback.Contains(step) ? "rollback " : "")}step {step.Index} of {procedure.Slug} (line {step.Line}): {error}");
                }
            }
        }

        foreach (var problem in RunbookBranches.RunProblems(runbook, chosen.Slug))
        {
            yield return new PlanProblem(null, $"line {problem.Line}: {problem.Message}; {problem.Fix}");
        }
    }
}
