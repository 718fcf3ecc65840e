using Microsoft.Extensions.Hosting;
using Vigil.Core.Storage;
using Vigil.Server.Cluster;
using Vigil.Server.Health;

namespace Vigil.Server.Hosting;

/// <summary>
/// The loop shared by services whose timers are rows with due times (incident timers, escalation):
/// sweep what is due, sweep again at once while a sweep fills a batch, then sleep until the next
/// due time, at most <see cref="MaxSleep"/>, or until <see cref="NextWorkAsync"/> says new work was
/// committed (a loop that has such a signal wakes at once instead of waiting for a poll). All on the
/// injected <see cref="TimeProvider"/>; each turn's outcome goes to the <see cref="HealthBoard"/>, which logs
/// failures (rate-limited) and makes the server not ready while the sweep keeps failing.
/// <para>
/// A loop whose work must happen once in a cluster declares itself a <see cref="Singleton"/>: it sweeps only while this node
/// holds the leader lease (<see cref="Cluster.Leadership"/>), and its sweep's writes carry the lease's fence
/// (<see cref="WriteFence"/>), so a write made after the lease moved on is refused by the store. On SQLite the one node always leads.
/// </para>
/// </summary>
public abstract class SweepLoop(TimeProvider time, HealthBoard health) : BackgroundService
{
    /// <summary>The name this loop reports its health under (readiness, <c>vigil status</c>).</summary>
    public abstract string HealthName { get; }

    /// <summary>The clock the loop sleeps on.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Longest sleep between sweeps.</summary>
    protected abstract TimeSpan MaxSleep { get; }

    /// <summary>A sweep that did at least this much work is followed by another at once.</summary>
    protected abstract int FullBatch { get; }

    /// <summary>Handles everything due now; returns how much work it did.</summary>
    public abstract Task<int> SweepAsync(CancellationToken ct);

    /// <summary>
    /// The loop's own sweep: <see cref="SweepAsync"/> unless a loop knows from its wake-ups that some looks are needless. A
    /// direct <see cref="SweepAsync"/> (tests, a command) never skips anything.
    /// </summary>
    protected virtual Task<int> LoopSweepAsync(CancellationToken ct) => SweepAsync(ct);

    /// <summary>The earliest pending due time, if any.</summary>
    protected abstract Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    /// <summary>
    /// Completes when new work for this loop has been committed; null when the loop has no such
    /// signal and relies on its due times and <see cref="MaxSleep"/>. Taken before each sweep, so
    /// work committed during a sweep is not missed.
    /// </summary>
    protected virtual Task? NextWorkAsync(CancellationToken ct) => null;

    /// <summary>
    /// The least time from the start of one sweep to a sweep woken by <see cref="NextWorkAsync"/>; zero (the default) wakes at once.
    /// A loop whose work is not urgent sets it, so an alert storm that commits hundreds of times a second wakes it a few times a
    /// second, not on every commit. Due times (<see cref="NextDueAsync"/>) are not held back by it.
    /// </summary>
    protected virtual TimeSpan WakeSpacing => TimeSpan.Zero;

    /// <summary>True for work that must run on one node of a cluster only: the leader's (see the class notes).</summary>
    public virtual bool Singleton => false;

    /// <summary>Who leads; set by the server for every hosted loop. Null (a loop built by a test alone) runs as the only node.</summary>
    public Leadership? Leadership { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Singleton && Leadership is { IsLeader: false } leadership)
            {
                try
                {
                    await leadership.UntilLeaderAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            using var fenced = Singleton && Leadership?.Fence is { } fence ? WriteFence.Enter(fence) : null;
            using var turn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var work = NextWorkAsync(turn.Token);
            if (work is not null && WakeSpacing > TimeSpan.Zero)
            {
                work = SpacedAsync(work, Time.GetUtcNow() + WakeSpacing, turn.Token);
            }

            DateTimeOffset wakeAt;
            try
            {
                while (await LoopSweepAsync(stoppingToken) >= FullBatch)
                {
                }

                var next = await NextDueAsync(stoppingToken);
                var longest = Time.GetUtcNow() + MaxSleep;
                wakeAt = next is { } due && due < longest ? due : longest;

                health.Succeeded(HealthName);
            }
            catch (LeaseLostException lost) when (!stoppingToken.IsCancellationRequested && Leadership is { } l)
            {
                // Another node leads now: this one stops at once and waits to lead again; that is no failure of the loop.
                l.Refused(lost);
                continue;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(HealthName, ex);
                // A failing sweep waits its full sleep: commits arriving meanwhile must not spin it.
                work = null;
                wakeAt = Time.GetUtcNow() + MaxSleep;
            }

            try
            {
                var delay = Time.UntilAsync(wakeAt + TimeSpan.FromMilliseconds(1), turn.Token);
                await (work is null ? delay : await Task.WhenAny(delay, work));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                // Ends whichever of the timer and the wake-up did not fire, so neither outlives the turn.
                await turn.CancelAsync();
            }
        }
    }

    /// <summary>Completes when <paramref name="work"/> has, but not before <paramref name="notBefore"/>.</summary>
    private async Task SpacedAsync(Task work, DateTimeOffset notBefore, CancellationToken ct)
    {
        await work;
        await Time.UntilAsync(notBefore, ct);
    }
}
