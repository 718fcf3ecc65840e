namespace Vigil.Core.Checks;

/// <summary>What a new config changes in the live set of checks (<see cref="CheckReconcile.Plan"/>). Each list keeps config order.</summary>
/// <param name="Added">Configured and not live: start them and queue their first run.</param>
/// <param name="Retimed">Live with a different interval or jitter: take the new definition, bump the generation and queue anew.</param>
/// <param name="Kept">Live with the same timing: take the new definition; the queued run stays.</param>
/// <param name="Removed">Live and no longer configured: drop them (their status row goes with the next flush).</param>
public sealed record ReconcilePlan(IReadOnlyList<string> Added, IReadOnlyList<string> Retimed, IReadOnlyList<string> Kept, IReadOnlyList<string> Removed);
