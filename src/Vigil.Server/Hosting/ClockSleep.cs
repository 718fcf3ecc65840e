namespace Vigil.Server.Hosting;

/// <summary>
/// Sleeping until a point on a <see cref="TimeProvider"/>'s clock, for the loops that wake at a
/// computed time. A timer counts from the clock as it reads when the timer is armed, not from
/// when the wake time was computed: if the clock moves in between (a test advancing a fake clock,
/// a stalled thread) the timer fires late, and a loop once slept past a due run that way until
/// the clock moved again. So the wait is measured from a fresh reading and armed again when the
/// clock moved while arming.
/// </summary>
public static class ClockSleep
{
    /// <summary>How far the clock may move while a timer is armed before it is armed again.</summary>
    private static readonly TimeSpan ArmingSlack = TimeSpan.FromMilliseconds(1);

    /// <summary>Completes once the clock reaches <paramref name="until"/>; throws when <paramref name="ct"/> is cancelled.</summary>
    public static async Task UntilAsync(this TimeProvider time, DateTimeOffset until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        while (true)
        {
            var from = time.GetUtcNow();
            if (from >= until)
            {
                return;
            }

            using var armed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(TimerDelay(until - from), time, armed.Token);
            if (time.GetUtcNow() - from <= ArmingSlack)
            {
                // Read the clock again after the wait: the system's timers count monotonic time, the
                // clock is wall time, and the two drift apart.
                await delay;
                continue;
            }

            await armed.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The wait rounded up to whole milliseconds. The system timer counts whole milliseconds and
    /// treats a wait under one as none, so a sub-millisecond wait returned at once and a loop
    /// spun until its next run was due (measured on the checks scheduler, docs/performance.md).
    /// </summary>
    public static TimeSpan TimerDelay(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
}
