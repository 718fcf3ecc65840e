namespace Vigil.Core.Runbooks;

/// <summary>A procedure a run can branch to (through <c>on_fail=</c>), planned like the chosen one.</summary>
/// <param name="Slug">The procedure's slug: what <see cref="PlannedStep.OnFail"/> names.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Steps">Its steps, in order.</param>
/// <param name="Rollback">Its rollback steps, in order.</param>
public sealed record PlannedBranch(string Slug, string Title, IReadOnlyList<PlannedStep> Steps, IReadOnlyList<PlannedStep> Rollback);
