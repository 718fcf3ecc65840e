namespace Vigil.Core.Checks;

/// <summary>A run waiting in the scheduler's queue: which check, under which generation of its timing, due when.</summary>
/// <param name="Key">The check, as "service/check".</param>
/// <param name="Generation">The check's timing generation when this run was queued; bumped when its timing changes.</param>
/// <param name="Due">When the run is due.</param>
public readonly record struct QueuedRun(string Key, int Generation, DateTimeOffset Due);
