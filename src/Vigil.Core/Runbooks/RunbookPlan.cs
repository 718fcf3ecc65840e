namespace Vigil.Core.Runbooks;

/// <summary>
/// What a run of one procedure would do, resolved but not run: the scripts, the environment that carries the
/// parameter values, and any problems. <c>--dry-run</c> prints it; the runner runs it only when <see cref="IsRunnable"/>.
/// </summary>
/// <param name="Runbook">The parsed runbook.</param>
/// <param name="Procedure">The chosen procedure, or null when it could not be chosen (see <see cref="Problems"/>).</param>
/// <param name="Steps">The procedure's steps, in order.</param>
/// <param name="Rollback">The procedure's rollback steps, in order.</param>
/// <param name="Environment">Environment variable name → value, e.g. <c>VIGIL_PARAM_backup_id</c> → <c>b-1</c>, for every valid needed or supplied parameter.</param>
/// <param name="Shown">Parameter name → value as shown to people: a secret parameter's value is masked.</param>
/// <param name="SecretValues">Values of secret parameters, to redact from output.</param>
/// <param name="Problems">Why the plan cannot run; empty when it can.</param>
public sealed record RunbookPlan(
    Runbook Runbook,
    RunbookProcedure? Procedure,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<PlannedStep> Rollback,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Shown,
    IReadOnlyList<string> SecretValues,
    IReadOnlyList<PlanProblem> Problems)
{
    /// <summary>
    /// The parameters the procedure uses that have no value (an unfilled <c>&lt;placeholder&gt;</c>, say): each is also a
    /// problem, so a run is refused, while a dry run shows the plan with a warning.
    /// </summary>
    public IReadOnlyList<string> Unfilled { get; init; } = [];

    /// <summary>The procedures the run can branch to through <c>on_fail=</c> (directly or through other branches), planned; empty when it cannot branch.</summary>
    public IReadOnlyList<PlannedBranch> Branches { get; init; } = [];

    /// <summary>Every ordinary step the run may execute: the procedure's and those of its branches. Freezes, approvals and remediation judge these.</summary>
    public IEnumerable<PlannedStep> AllSteps => Steps.Concat(Branches.SelectMany(b => b.Steps));

    /// <summary>The branch with this slug, or null.</summary>
    public PlannedBranch? FindBranch(string slug) => Branches.FirstOrDefault(b => string.Equals(b.Slug, slug, StringComparison.Ordinal));

    /// <summary>True when the only problems are <see cref="Unfilled"/> parameters: the plan can be shown, though not run.</summary>
    public bool IsShowable => Procedure is not null && Problems.All(p => p.Parameter is { } name && Unfilled.Contains(name));

    /// <summary>True when a procedure was chosen and nothing is wrong.</summary>
    public bool IsRunnable => Problems.Count == 0 && Procedure is not null;
}
