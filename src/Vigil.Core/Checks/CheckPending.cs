using Vigil.Core.Config;

namespace Vigil.Core.Checks;

/// <summary>
/// Pure decision: is a check inside its <c>fail_after</c> / <c>for:</c> delay, and how long is left?
/// It mirrors <see cref="CheckStateMachine.Apply"/>: a non-ok run confirms once it has
/// <c>fail_after</c> results in a row and has lasted <c>for:</c>.
/// </summary>
public static class CheckPending
{
    /// <summary>
    /// The pending run of <paramref name="status"/> at <paramref name="now"/>, or null when the check
    /// is paused, passing, already showing a non-ok state, or its failing run is already confirmed.
    /// </summary>
    public static PendingState? Evaluate(CheckStatus status, CheckConfig check, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(check);
        if (status.Paused
            || status.ConsecutiveFailures <= 0
            || status.StreakSince is not { } streakSince
            || status.LastResult is not { } last
            || last.State == HealthState.Ok
            || last.State == status.State
            // Already alerting: a new failing run after a blip is not "pending", the check is still warning/critical.
            || status.State is HealthState.Warning or HealthState.Critical)
        {
            return null;
        }

        var lastAt = status.LastResultAt ?? now;
        if (status.ConsecutiveFailures >= check.FailAfter && lastAt - streakSince >= check.For)
        {
            // Confirmed on the state machine's terms: nothing left to wait for.
            return null;
        }

        var byFor = streakSince + check.For;
        var missing = Math.Max(0, check.FailAfter - status.ConsecutiveFailures);
        var byCount = lastAt + (check.Every * missing);
        var until = byFor > byCount ? byFor : byCount;
        var left = until > now ? until - now : TimeSpan.Zero;
        return new PendingState(last.State, status.ConsecutiveFailures, check.FailAfter, streakSince, until, left);
    }
}
