namespace Vigil.Core.Checks;

/// <summary>What the scheduler knows about a live check when one of its runs comes due.</summary>
/// <param name="Generation">The check's current timing generation.</param>
/// <param name="Timing">Its interval and jitter.</param>
/// <param name="Paused">Paused by someone (or by <c>paused: true</c> in the config).</param>
/// <param name="InFlight">Its previous run has not finished.</param>
public readonly record struct DispatchState(int Generation, CheckTiming Timing, bool Paused, bool InFlight);
