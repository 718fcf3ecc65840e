namespace Vigil.Core.Checks;

/// <summary>
/// The evaluated state of one check: what it is now, since when, and the counters the state
/// machine needs to decide the next transition. Immutable; <see cref="CheckStateMachine"/>
/// returns a new one per result.
/// </summary>
/// <param name="Key">"service/check".</param>
/// <param name="State">The confirmed state (after fail_after, pass_after and for:).</param>
/// <param name="Reason">Why the confirmed state is not ok.</param>
/// <param name="Since">When <paramref name="State"/> began.</param>
/// <param name="ConsecutiveFailures">Non-ok results in a row.</param>
/// <param name="ConsecutivePasses">Ok results in a row.</param>
/// <param name="StreakSince">When the current run of non-ok results began (for <c>for:</c>).</param>
/// <param name="RecentChanges">Times of the recent confirmed changes, for flapping detection.</param>
/// <param name="Flapping">True while the check changes state too often to page on each change.</param>
/// <param name="LastResult">The most recent probe result.</param>
/// <param name="LastResultAt">When it arrived.</param>
/// <param name="Paused">Paused checks are not probed and never alert.</param>
public sealed record CheckStatus(
    string Key,
    HealthState State,
    FailureReason Reason,
    DateTimeOffset Since,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? StreakSince,
    IReadOnlyList<DateTimeOffset> RecentChanges,
    bool Flapping,
    ProbeResult? LastResult,
    DateTimeOffset? LastResultAt,
    bool Paused)
{
    /// <summary>A check that has not reported yet.</summary>
    public static CheckStatus Initial(string key, DateTimeOffset now) =>
        new(key, HealthState.Unknown, FailureReason.None, now, 0, 0, null, [], false, null, null, false);
}
