namespace Vigil.Core.Runbooks;

/// <summary>The linter's rules for flow constructs: health gates (<c>wait=</c>, <c>watch=</c>).</summary>
public static partial class RunbookLinter
{
    private const string HealthGate = "health-gate";

    // A method, not a field: static initializers of partial class files run in no defined order, and Rules reads this.
    private static LintRule[] FlowRules() =>
    [
        new(HealthGate, LintSeverity.Error, "A wait= or watch= health gate that does not read, or that names a check or service the config does not have (checked when lint runs with a config)."),
    ];

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
