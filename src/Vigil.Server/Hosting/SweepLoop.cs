using Microsoft.Extensions.Hosting;
using Vigil.Server.Health;

namespace Vigil.Server.Hosting;

/// <summary>
/// The loop shared by services whose timers are rows with due times (incident timers, escalation):
/// sweep what is due, sweep again at once while a sweep fills a batch, then sleep until the next
/// due time, at most <see cref="MaxSleep"/>, or until <see cref="NextWorkAsync"/> says new work was
/// committed (a loop that has such a signal wakes at once instead of waiting for a poll). All on the
/// injected <see cref="TimeProvider"/>; each turn's outcome goes to the <see cref="HealthBoard"/>, which logs
/// failures (rate-limited) and makes the server not ready while the sweep keeps failing.
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

    /// <summary>The earliest pending due time, if any.</summary>
    protected abstract Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    /// <summary>
    /// Completes when new work for this loop has been committed; null when the loop has no such
    /// signal and relies on its due times and <see cref="MaxSleep"/>. Taken before each sweep, so
    /// work committed during a sweep is not missed.
    /// </summary>
    protected virtual Task? NextWorkAsync(CancellationToken ct) => null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var turn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var work = NextWorkAsync(turn.Token);
            DateTimeOffset wakeAt;
            try
            {
                while (await SweepAsync(stoppingToken) >= FullBatch)
                {
                }

                var next = await NextDueAsync(stoppingToken);
                var longest = Time.GetUtcNow() + MaxSleep;
                wakeAt = next is { } due && due < longest ? due : longest;

                health.Succeeded(HealthName);
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
}
