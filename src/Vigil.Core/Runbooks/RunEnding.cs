namespace Vigil.Core.Runbooks;

/// <summary>How a run ends: its final status and the sentence that says why (null when it succeeded).</summary>
public sealed record RunEnding(RunStatus Status, string? Error);
