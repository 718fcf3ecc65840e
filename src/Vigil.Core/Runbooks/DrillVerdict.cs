namespace Vigil.Core.Runbooks;

/// <summary>A drill's verdict: pass or fail, and the sentence that says why (every reason it failed, most important first).</summary>
public sealed record DrillVerdict(DrillResult Result, string Reason, TimeSpan? Total);
