namespace Vigil.Core.Checks;

/// <summary>The scheduler's decision for one due run.</summary>
/// <param name="Action">Run, skip, pass over (paused) or drop the entry.</param>
/// <param name="NextDue">The check's next run to queue; null when the entry is dropped.</param>
/// <param name="Lag">How late the run is handled (now minus due); zero for a dropped entry.</param>
public readonly record struct DispatchDecision(DispatchAction Action, DateTimeOffset? NextDue, TimeSpan Lag);
