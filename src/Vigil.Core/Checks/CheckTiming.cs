namespace Vigil.Core.Checks;

/// <summary>When a check runs: its interval and its jitter. Two checks with the same timing keep their queued runs on reconcile.</summary>
/// <param name="Every">The interval between runs.</param>
/// <param name="Jitter">The most a run may be offset within its slot.</param>
public readonly record struct CheckTiming(TimeSpan Every, TimeSpan Jitter);
