using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Vigil.Core.Checks;
using Vigil.Core.Telemetry;
using Vigil.Core.Config;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Checks;

/// <summary>
/// The scheduler loop: loads the <see cref="CheckRegistry"/>, then wakes at each check's next run
/// time (<see cref="CheckSchedule"/>) and hands the run to <see cref="CheckRunner"/>. What happens to a
/// due run (run, skip while the last is in flight, pass over while paused, drop when stale) is
/// <see cref="CheckDispatch"/>'s decision; this loop keeps the queue and carries it out. An applied config is reconciled on the loop.
/// Reports as <c>checks.scheduler</c> (the loop) and <c>checks.probes</c> (the runs).
/// </summary>
public sealed class CheckScheduler : BackgroundService
{
    internal const string HealthName = "checks.scheduler";
    internal const string ProbesHealthName = "checks.probes";

    private readonly ConfigState _config;
    private readonly CheckRegistry _registry;
    private readonly CheckRunner _runner;
    private readonly HealthBoard _health;
    private readonly TimeProvider _time;
    private readonly PriorityQueue<(string Key, int Generation), DateTimeOffset> _queue = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly LagRecorder _lag = new(20_000);
    private VigilConfig? _pendingConfig;
    private TaskCompletionSource? _turnWaiter;
    private long _probes;
    private long _skipped;

    public CheckScheduler(ConfigState config, CheckRegistry registry, CheckRunner runner, HealthBoard health, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _registry = registry;
        _runner = runner;
        _health = health;
        _time = time;
        config.Applied += snapshot =>
        {
            Volatile.Write(ref _pendingConfig, snapshot.Config);
            _wake.Writer.TryWrite(true);
        };
    }

    public EngineStats Stats => new(Interlocked.Read(ref _probes), Interlocked.Read(ref _skipped), _lag.Percentile(0.50), _lag.Percentile(0.99), _registry.Count);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        foreach (var rt in await _registry.LoadAsync(_config.Current.Config, stoppingToken))
        {
            Enqueue(rt, now);
        }

        _registry.MarkLoaded();
        await LoopAsync(stoppingToken);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        Task<bool>? wakeTask = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Interlocked.Exchange(ref _pendingConfig, null) is { } pending)
                {
                    var at = _time.GetUtcNow();
                    foreach (var rt in _registry.Reconcile(pending))
                    {
                        Enqueue(rt, at);
                    }
                }

                var now = _time.GetUtcNow();
                DateTimeOffset wakeAt;
                lock (_queue)
                {
                    while (_queue.TryPeek(out var entry, out var due) && CheckDispatch.IsDue(due, now))
                    {
                        _queue.Dequeue();
                        Dispatch(new QueuedRun(entry.Key, entry.Generation, due), now, ct);
                    }

                    wakeAt = CheckDispatch.WakeAt(_queue.TryPeek(out _, out var next) ? next : null, now);
                }

                SignalTurn();

                // One wake-up task lives across iterations: cancelling a channel wait per iteration
                // costs an exception each time (most of the loop's CPU when measured). Cancelling
                // the timer is cheap and keeps timers from piling up.
                wakeTask ??= _wake.Reader.WaitToReadAsync(ct).AsTask();
                await SleepUntilAsync(wakeAt, wakeTask, ct);

                if (wakeTask.IsCompleted)
                {
                    wakeTask = null;
                    while (_wake.Reader.TryRead(out _))
                    {
                    }
                }

                _health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _health.Failed(HealthName, ex);
            }
        }
    }

    /// <summary>Sleeps until <paramref name="wakeAt"/> or a wake-up, whichever comes first.</summary>
    private async Task SleepUntilAsync(DateTimeOffset wakeAt, Task wakeTask, CancellationToken ct)
    {
        using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timer = _time.UntilAsync(wakeAt, sleeping.Token);
        await Task.WhenAny(timer, wakeTask);
        await sleeping.CancelAsync();
        // Observe the cancelled timer so it never surfaces as an unobserved exception.
        await timer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Enqueue(CheckRuntime rt, DateTimeOffset after)
    {
        var c = rt.Definition.Check;
        var due = CheckSchedule.NextAfter(rt.Key, c.Every, c.Jitter, after);
        lock (_queue)
        {
            _queue.Enqueue((rt.Key, rt.Generation), due);
        }
    }

    /// <summary>Carries out <see cref="CheckDispatch.Decide"/> for one due run; call under the queue's lock.</summary>
    private void Dispatch(QueuedRun run, DateTimeOffset now, CancellationToken ct)
    {
        if (!_registry.TryGet(run.Key, out var rt))
        {
            return;
        }

        DispatchDecision decision;
        // Another node's check (a cluster) is passed over like a paused one: it stays scheduled, so it runs here once it moves here.
        var owned = _registry.Owns(run.Key);
        lock (rt.Gate)
        {
            var c = rt.Definition.Check;
            decision = CheckDispatch.Decide(new DispatchState(rt.Generation, new CheckTiming(c.Every, c.Jitter), rt.Status.Paused || !owned, rt.InFlight), run, now);
            switch (decision.Action)
            {
                case DispatchAction.Skip:
                    rt.Skipped++;
                    break;
                case DispatchAction.Run:
                    rt.InFlight = true;
                    break;
            }
        }

        if (decision.NextDue is not { } next)
        {
            return;
        }

        _queue.Enqueue((run.Key, run.Generation), next);
        _lag.Record(decision.Lag);
        VigilMetrics.ScheduleLag(decision.Lag);
        if (decision.Action == DispatchAction.Skip)
        {
            Interlocked.Increment(ref _skipped);
        }
        else if (decision.Action == DispatchAction.Run)
        {
            _ = RunAsync(rt, ct);
        }
    }

    private async Task RunAsync(CheckRuntime rt, CancellationToken ct)
    {
        try
        {
            await _runner.RunAsync(rt, ct);
            Interlocked.Increment(ref _probes);
            _health.Succeeded(ProbesHealthName);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _health.Failed(ProbesHealthName, ex);
        }
        finally
        {
            lock (rt.Gate)
            {
                rt.InFlight = false;
            }

            SignalTurn();
        }
    }

    /// <summary>
    /// True when nothing is due at the clock's current time and no probe is running: the point a
    /// fake-clock test waits for before advancing again.
    /// </summary>
    internal bool IsIdle()
    {
        var now = _time.GetUtcNow();
        lock (_queue)
        {
            if (Volatile.Read(ref _pendingConfig) is not null || (_queue.TryPeek(out _, out var due) && due <= now))
            {
                return false;
            }
        }

        return _registry.Runtimes.All(rt => { lock (rt.Gate) { return !rt.InFlight; } });
    }

    /// <summary>
    /// Completes after the scheduler's next turn: the loop going back to sleep, or a run finishing.
    /// For a waiter that checks <see cref="IsIdle"/> after each turn instead of polling on a timer.
    /// Costs nothing while no one waits.
    /// </summary>
    internal Task NextTurnAsync(CancellationToken ct)
    {
        var waiter = Volatile.Read(ref _turnWaiter);
        if (waiter is null)
        {
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter = Interlocked.CompareExchange(ref _turnWaiter, fresh, null) ?? fresh;
        }

        return waiter.Task.WaitAsync(ct);
    }

    private void SignalTurn()
    {
        if (Volatile.Read(ref _turnWaiter) is not null)
        {
            Interlocked.Exchange(ref _turnWaiter, null)?.TrySetResult();
        }
    }
}
