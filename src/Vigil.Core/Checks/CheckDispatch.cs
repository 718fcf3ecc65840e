namespace Vigil.Core.Checks;

/// <summary>
/// The scheduler's decisions as pure functions of (state, event, now): whether a queued run is due,
/// what to do with it when it is, when to wake next, and how long to arm the timer for. The hosted
/// scheduler only keeps the queue and the runtimes and carries these decisions out.
/// </summary>
public static class CheckDispatch
{
    /// <summary>How long the scheduler sleeps when nothing is queued (a new config wakes it earlier).</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    /// <summary>A run due at <paramref name="due"/> is handled now.</summary>
    public static bool IsDue(DateTimeOffset due, DateTimeOffset now) => due <= now;

    /// <summary>
    /// What to do with <paramref name="run"/>, which came due, given the check's live
    /// <paramref name="state"/> (null when the check is no longer configured). The next run is
    /// scheduled from the due time, not from now, so a late loop does not drift the check's phase.
    /// </summary>
    public static DispatchDecision Decide(DispatchState? state, QueuedRun run, DateTimeOffset now)
    {
        if (state is not { } live || live.Generation != run.Generation)
        {
            return new DispatchDecision(DispatchAction.Drop, null, TimeSpan.Zero);
        }

        var next = CheckSchedule.NextAfter(run.Key, live.Timing.Every, live.Timing.Jitter, run.Due);
        var action = live.Paused ? DispatchAction.Paused : live.InFlight ? DispatchAction.Skip : DispatchAction.Run;
        return new DispatchDecision(action, next, now - run.Due);
    }

    /// <summary>When the loop wakes next: at the earliest queued run, or after <see cref="IdleWait"/> with an empty queue.</summary>
    public static DateTimeOffset WakeAt(DateTimeOffset? earliestDue, DateTimeOffset now) => earliestDue ?? now + IdleWait;
}
