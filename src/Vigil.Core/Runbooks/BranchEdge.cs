namespace Vigil.Core.Runbooks;

/// <summary>One <c>on_fail=</c> whose target exists: a failure of step <paramref name="Step"/> of <paramref name="From"/> goes to <paramref name="To"/>.</summary>
/// <param name="From">The slug of the procedure holding the step.</param>
/// <param name="Step">The step.</param>
/// <param name="To">The slug of the target procedure.</param>
public sealed record BranchEdge(string From, RunbookStep Step, string To);
