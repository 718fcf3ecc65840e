namespace Vigil.Core.Runbooks;

/// <summary>The linter's rules for flow constructs: health gates (<c>wait=</c>, <c>watch=</c>) and branches (<c>on_fail=</c>, <c>when=</c>).</summary>
public static partial class RunbookLinter
{
    private const string HealthGate = "health-gate";
    private const string Branch = "branch";

    // A method, not a field: static initializers of partial class files run in no defined order, and Rules reads this.
    private static LintRule[] FlowRules() =>
    [
        new(HealthGate, LintSeverity.Error, "A wait= or watch= health gate that does not read, or that names a check or service the config does not have (checked when lint runs with a config)."),
        new(Branch, LintSeverity.Error, "An on_fail= that names no procedure of the file, sits on a rollback step or closes a cycle of branches; a when= or from= that does not read; a sub-procedure of a branching procedure that nothing leads to."),
    ];

    private static IEnumerable<LintFinding> Branches(Runbook runbook) =>
        RunbookBranches.Problems(runbook).Select(p => Finding(Branch, runbook.Path, p.Line, p.Message, p.Fix));

    private static IEnumerable<LintFinding> Gates(Runbook runbook, LintContext context)
    {
        foreach (var procedure in runbook.Procedures)
        {
            foreach (var step in procedure.Steps.Concat(procedure.Rollback))
            {
                if (!HealthGates.TryRead(step.Attributes, out var gate, out var error))
                {
                    yield return Finding(HealthGate, runbook.Path, step.Line, error!,
                        "see docs/runbooks.md#health-gated-steps for the forms wait=\"check:SERVICE/CHECK ok for 2m\" and watch=\"service:SERVICE\" for=10m");
                }
                else if (gate is not null && context.CheckKeys is { } keys && HealthGates.UnknownTarget(gate, keys) is { } unknown)
                {
                    yield return Finding(HealthGate, runbook.Path, step.Line, $"the {(gate.Kind == HealthGateKind.Wait ? "wait" : "watch")} on step {step.Index} of {procedure.Slug}: {unknown}",
                        "name a check from the config (`vigil check list`), or add the check to the config");
                }
            }
        }
    }
}
