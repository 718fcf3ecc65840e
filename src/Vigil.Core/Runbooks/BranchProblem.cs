namespace Vigil.Core.Runbooks;

/// <summary>A problem with a runbook's branches (<c>on_fail=</c>, <c>when=</c>): the <c>branch</c> lint rule reports it.</summary>
/// <param name="Procedure">The slug of the procedure it is in.</param>
/// <param name="Line">The 1-based source line (a step's fence, or a procedure's heading).</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
/// <param name="BlocksRun">True when a run that can reach <paramref name="Procedure"/> is refused at plan time because of it.</param>
public sealed record BranchProblem(string Procedure, int Line, string Message, string Fix, bool BlocksRun);
