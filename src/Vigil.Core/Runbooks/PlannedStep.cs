namespace Vigil.Core.Runbooks;

/// <summary>A step as it will run.</summary>
/// <param name="Index">1-based position among the procedure's steps (or among its rollback steps).</param>
/// <param name="InRollback">True for a rollback step.</param>
/// <param name="Name">The step's <c>name</c> attribute, or null.</param>
/// <param name="Description">The block's leading comment lines, or null.</param>
/// <param name="Line">The 1-based source line of the opening fence.</param>
/// <param name="Code">The code as written in the runbook.</param>
/// <param name="Script">
/// What the interpreter runs: for a bash step, <see cref="Code"/> with parameters rewritten to environment references
/// (<see cref="RunbookPlanner.Rewrite"/>); for a python or pwsh step, the code as written (it reads its parameters from
/// the environment itself). It never contains a parameter value.
/// </param>
/// <param name="Timeout">The step's own timeout, or the default one.</param>
/// <param name="Mutating">True when the step changes something (refused during a freeze).</param>
/// <param name="Confirm">True when the step asks for confirmation.</param>
/// <param name="Parameters">The names of the parameters the step uses.</param>
public sealed record PlannedStep(
    int Index,
    bool InRollback,
    string? Name,
    string? Description,
    int Line,
    string Code,
    string Script,
    TimeSpan Timeout,
    bool Mutating,
    bool Confirm,
    IReadOnlyList<string> Parameters)
{
    /// <summary>Output lines of a prompt-style block, shown with the step and never run (<see cref="RunbookStep.Output"/>).</summary>
    public IReadOnlyList<RunbookOutputLine> Output { get; init; } = [];

    /// <summary>The step's health gate (<c>wait=</c> or <c>watch=</c>), checked after its script succeeded; null when it has none.</summary>
    public HealthGate? Gate { get; init; }

    /// <summary>The fence's language: bash, sh, shell and console run under bash, python under python3, pwsh under PowerShell (<see cref="StepShells"/>).</summary>
    public string Language { get; init; } = "bash";

    /// <summary>The slug of the procedure this step belongs to (the chosen one, or a branch).</summary>
    public string? Procedure { get; init; }

    /// <summary>True for a step of a procedure the run reaches only by branching (<see cref="RunbookPlan.Branches"/>).</summary>
    public bool InBranch { get; init; }

    /// <summary>The slug of the procedure a failure of this step goes to (<c>on_fail=</c>) instead of ending the run; null when it has none.</summary>
    public string? OnFail { get; init; }

    /// <summary>The step's <c>when=</c> condition: it runs only when this holds, and is recorded <c>skipped</c> otherwise; null when it has none.</summary>
    public StepCondition? When { get; init; }
}
