namespace Vigil.Core.Runbooks;

/// <summary>What a drill saw, for <see cref="DrillJudge.Decide"/>.</summary>
/// <param name="StartedAt">When the drill began (the inject run was requested).</param>
/// <param name="InjectedAt">When the inject run succeeded; null when it did not.</param>
/// <param name="DetectedAt">When an expected check's incident opened; null when none did in time.</param>
/// <param name="RecoveredAt">When the expected checks were all ok again; null when they were not in time.</param>
/// <param name="Verified">Whether the verify procedure succeeded.</param>
/// <param name="Paged">Who would have been (or was) paged during the drill, as a sentence; null when nobody.</param>
/// <param name="RunFailure">A procedure that did not succeed, as a sentence (<c>inject run #3 failed: …</c>); null when each that ran succeeded.</param>
/// <param name="DetectWithin">The detection timeout, for the "not detected" sentence.</param>
public sealed record DrillObservation(
    DateTimeOffset StartedAt,
    DateTimeOffset? InjectedAt,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? RecoveredAt,
    bool Verified,
    string? Paged,
    string? RunFailure,
    TimeSpan DetectWithin)
{
    /// <summary>What the expected checks showed when detection gave up (<c>shop/health ok</c>), for the "not detected" sentence.</summary>
    public string? MissedBecause { get; init; }
}
