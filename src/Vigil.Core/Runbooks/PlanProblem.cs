namespace Vigil.Core.Runbooks;

/// <summary>Why a plan cannot run.</summary>
/// <param name="Parameter">The parameter concerned, or null (for example when the procedure is unknown).</param>
/// <param name="Message">What is wrong, where, and how to fix it. Never contains a secret parameter's value.</param>
public sealed record PlanProblem(string? Parameter, string Message);
