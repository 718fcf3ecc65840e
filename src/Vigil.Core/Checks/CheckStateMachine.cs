using Vigil.Core.Config;

namespace Vigil.Core.Checks;

/// <summary>
/// Pure transitions of a check's state: (status, result, config, now) → (status, change?).
/// <list type="bullet">
/// <item>A non-ok result (warning, critical, unknown) confirms after <c>fail_after</c> in a row and,
/// when <c>for:</c> is set, once the non-ok run has lasted that long.</item>
/// <item>An ok result confirms after <c>pass_after</c> in a row.</item>
/// <item>Within a non-ok run the confirmed state follows the latest result (critical ↔ warning).</item>
/// <item>Flapping is judged on confirmed changes (see <see cref="FlappingPolicy"/>).</item>
/// </list>
/// </summary>
public static class CheckStateMachine
{
    public static (CheckStatus Status, StateChange? Change) Apply(CheckStatus current, ProbeResult result, CheckConfig check, DateTimeOffset now, FlappingPolicy? flapping = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(check);
        flapping ??= FlappingPolicy.Default;

        var next = current with { LastResult = result, LastResultAt = now };
        if (current.Paused)
        {
            return (next, null);
        }

        HealthState? confirmed = null;
        if (result.State == HealthState.Ok)
        {
            next = next with { ConsecutivePasses = current.ConsecutivePasses + 1, ConsecutiveFailures = 0, StreakSince = null };
            if (next.ConsecutivePasses >= check.PassAfter || current.State == HealthState.Unknown && current.LastResult is null)
            {
                confirmed = HealthState.Ok;
            }
        }
        else
        {
            var streakSince = current.ConsecutiveFailures == 0 ? now : current.StreakSince ?? now;
            next = next with { ConsecutiveFailures = current.ConsecutiveFailures + 1, ConsecutivePasses = 0, StreakSince = streakSince };
            if (next.ConsecutiveFailures >= check.FailAfter && now - streakSince >= check.For)
            {
                confirmed = result.State;
            }
        }

        var reason = confirmed switch
        {
            HealthState.Ok => FailureReason.None,
            null => current.Reason,
            _ => result.Reason,
        };
        if (confirmed is not { } state || (state == current.State && reason == current.Reason))
        {
            return (next with { Flapping = StillFlapping(next, now, flapping) }, null);
        }

        if (state == current.State)
        {
            // Same state, new reason (timeout → connect): update quietly, not a new signal.
            return (next with { Reason = reason, Flapping = StillFlapping(next, now, flapping) }, null);
        }

        var recent = current.RecentChanges.Where(t => now - t < flapping.Window).Append(now).ToList();
        var isFlapping = recent.Count >= flapping.Changes;
        next = next with { State = state, Reason = reason, Since = now, RecentChanges = recent, Flapping = isFlapping };
        return (next, new StateChange(current.Key, current.State, state, reason, now, result.Message, isFlapping));
    }

    /// <summary>Pausing keeps the last state for display; resuming starts counting afresh.</summary>
    public static CheckStatus SetPaused(CheckStatus current, bool paused, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return paused
            ? current with { Paused = true }
            : current with { Paused = false, ConsecutiveFailures = 0, ConsecutivePasses = 0, StreakSince = null, Since = current.Paused ? now : current.Since };
    }

    private static bool StillFlapping(CheckStatus s, DateTimeOffset now, FlappingPolicy policy) =>
        s.Flapping && s.RecentChanges.Count(t => now - t < policy.Window) >= policy.Changes - 1;
}
