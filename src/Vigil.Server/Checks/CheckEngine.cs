using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Core.Incidents;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Incidents;

namespace Vigil.Server.Checks;

/// <summary>
/// The checks engine: a thin loop around the pure pieces. <see cref="CheckSchedule"/> says when,
/// <see cref="ICheckProbe"/> runs the probe, <see cref="CheckStateMachine"/> decides the state, and
/// <see cref="HistoryBucket"/> keeps the history compact. Confirmed state changes are written at
/// once, with an audit entry; counters and history are flushed every <see cref="CheckEngineOptions.FlushEvery"/>.
/// </summary>
public sealed partial class CheckEngine : BackgroundService
{
    private readonly ConfigState _config;
    private readonly IVigilStore _store;
    private readonly ICheckProbe _probe;
    private readonly TimeProvider _time;
    private readonly CheckEngineOptions _options;
    private readonly HeartbeatTokens _heartbeatTokens;
    private readonly ILogger<CheckEngine> _logger;
    private readonly IncidentPolicies _policies;
    private readonly HealthBoard _health;
    private readonly ConcurrentDictionary<string, CheckRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HeartbeatRecord> _heartbeats = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(string Key, int Generation), DateTimeOffset> _queue = new();
    private readonly Channel<StateChangeWrite> _changes = Channel.CreateBounded<StateChangeWrite>(new BoundedChannelOptions(50_000) { SingleReader = true });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _concurrency;
    private readonly LagRecorder _lag = new(20_000);
    private readonly SemaphoreSlim _pauseLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _removed = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private VigilConfig? _pendingConfig;
    private TaskCompletionSource? _turnWaiter;
    private long _probes;
    private long _skipped;

    public CheckEngine(ConfigState config, IVigilStore store, ICheckProbe probe, TimeProvider time, CheckEngineOptions options, HeartbeatTokens heartbeatTokens,
        IncidentPolicies policies, HealthBoard health, ILogger<CheckEngine> logger)
    {
        _health = health;
        _policies = policies;
        _config = config;
        _store = store;
        _probe = probe;
        _time = time;
        _options = options;
        _heartbeatTokens = heartbeatTokens;
        _logger = logger;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        config.Applied += snapshot =>
        {
            Volatile.Write(ref _pendingConfig, snapshot.Config);
            _wake.Writer.TryWrite(true);
        };
    }

    /// <summary>Completes once stored state has been loaded and checks are scheduled.</summary>
    public Task Loaded => _loaded.Task;

    public EngineStats Stats => new(Interlocked.Read(ref _probes), Interlocked.Read(ref _skipped), _lag.Percentile(0.50), _lag.Percentile(0.99), _runtimes.Count);

    /// <summary>Every check with its current state, in config order.</summary>
    public IReadOnlyList<CheckSnapshot> Snapshot()
    {
        var defs = CheckDefinition.FromConfig(_config.Current.Config);
        var list = new List<CheckSnapshot>(defs.Count);
        foreach (var d in defs)
        {
            if (_runtimes.TryGetValue(d.Key, out var rt))
            {
                lock (rt.Gate)
                {
                    list.Add(new CheckSnapshot(rt.Definition, rt.Status, rt.PausedBy, rt.PausedReason, rt.Skipped,
                        d.Check.Heartbeat is null ? null : _heartbeatTokens.TokenFor(d)));
                }
            }
        }

        return list;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(_config.Current.Config, stoppingToken);
            _loaded.TrySetResult();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            _loaded.TrySetException(ex);
            throw;
        }

        await Task.WhenAll(
            SchedulerLoopAsync(stoppingToken),
            ChangeWriterLoopAsync(stoppingToken),
            PeriodicAsync("checks.flush", _options.FlushEvery, FlushAsync, stoppingToken),
            PeriodicAsync("checks.prune", TimeSpan.FromHours(1), PruneAsync, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _changes.Writer.TryComplete();
        try
        {
            // Whatever the loops had not written yet: confirmed changes first, then counters and history.
            await DrainChangesAsync(CancellationToken.None);
            await FlushCoreAsync(withHistory: true, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogFlushFailed(_logger, ex);
        }
    }

    // ---- operator actions ---------------------------------------------------------------

    /// <summary>Runs the matching checks now and returns their results; does not change state.</summary>
    public async Task<IReadOnlyList<(CheckDefinition Definition, ProbeResult Result)>> ProbeNowAsync(Func<CheckDefinition, bool> match, CancellationToken ct)
    {
        var defs = CheckDefinition.FromConfig(_config.Current.Config).Where(match).ToList();
        var results = new (CheckDefinition, ProbeResult)[defs.Count];
        await Parallel.ForAsync(0, defs.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, c) =>
        {
            // On-demand probes count against the same global bound as scheduled ones.
            await _concurrency.WaitAsync(c);
            try
            {
                results[i] = (defs[i], await ProbeOnceAsync(defs[i], c));
            }
            finally
            {
                _concurrency.Release();
            }
        });
        return results;
    }

    /// <summary>
    /// Pauses or resumes a check, with its audit entry. The store write comes first and is not
    /// cancellable, so memory never holds a pause that the store and the audit trail do not.
    /// Returns null when there is no such check.
    /// </summary>
    public async Task<CheckSnapshot?> SetPausedAsync(string key, bool paused, string actor, string? reason, CancellationToken ct)
    {
        if (!_runtimes.TryGetValue(key, out var rt))
        {
            await _store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(actor, paused ? "check.pause_refused" : "check.resume_refused", $"check/{key}", "no such check"), c), ct);
            return null;
        }

        await _pauseLock.WaitAsync(ct);
        try
        {
            StoredCheckStatus after;
            bool wasPaused;
            lock (rt.Gate)
            {
                wasPaused = rt.Status.Paused;
                var now = _time.GetUtcNow();
                after = new StoredCheckStatus(CheckStateMachine.SetPaused(rt.Status, paused, now), paused ? actor : null, paused ? reason : null,
                    paused || !wasPaused ? rt.WatchingSince : now);
            }

            var action = wasPaused == paused ? (paused ? "check.pause_refused" : "check.resume_refused") : paused ? "check.pause" : "check.resume";
            await _store.WriteAsync(async (s, c) =>
            {
                if (wasPaused != paused)
                {
                    await s.Checks.UpsertStatusAsync(after, c);
                }

                await s.Audit.AppendAsync(new AuditDraft(actor, action, $"check/{key}", wasPaused == paused ? (paused ? "already paused" : "not paused") : reason,
                    JsonSerializer.Serialize(new { paused = wasPaused }), JsonSerializer.Serialize(new { paused })), c);
                return 0;
            }, CancellationToken.None);

            if (wasPaused != paused)
            {
                lock (rt.Gate)
                {
                    // Apply onto the current status: results may have arrived while the write ran.
                    rt.Status = CheckStateMachine.SetPaused(rt.Status, paused, after.Status.Since);
                    rt.PausedBy = after.PausedBy;
                    rt.PausedReason = after.PausedReason;
                    rt.WatchingSince = after.WatchingSince;
                    rt.MarkDirty();
                }
            }
        }
        finally
        {
            _pauseLock.Release();
        }

        return Snapshot().FirstOrDefault(x => x.Definition.Key == key);
    }

    /// <summary>Records a heartbeat ping. Returns the check's key, or null for an unknown token.</summary>
    public async Task<string?> RecordHeartbeatAsync(string token, HeartbeatPingKind kind, int? exitCode, CancellationToken ct)
    {
        var def = _heartbeatTokens.Find(token, _config.Current.Config);
        if (def is null || !_runtimes.TryGetValue(def.Key, out var rt))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var ping = new HeartbeatPing(kind, now, exitCode);
        var record = _heartbeats.AddOrUpdate(def.Key,
            k => new HeartbeatRecord(k, kind == HeartbeatPingKind.Success ? now : null, ping),
            (_, old) => old with { LastSuccess = kind == HeartbeatPingKind.Success ? now : old.LastSuccess, LastPing = ping });
        await _store.RecordAsync(async (s, c) =>
        {
            await s.Checks.UpsertHeartbeatAsync(record, c);
            return 0;
        }, ct);
        if (kind != HeartbeatPingKind.Start)
        {
            await ProcessAsync(rt, await ProbeOnceAsync(def, ct), ct);
        }

        return def.Key;
    }

    // ---- loading and reconciling -----------------------------------------------------------

    private async Task LoadAsync(VigilConfig config, CancellationToken ct)
    {
        var stored = await _store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), ct);
        var byKey = stored.ToDictionary(s => s.Status.Key, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var hour = HistoryBucket.HourOf(now);
        foreach (var def in CheckDefinition.FromConfig(config))
        {
            var rt = byKey.TryGetValue(def.Key, out var s)
                ? new CheckRuntime(def, s.Status, s.WatchingSince) { PausedBy = s.PausedBy, PausedReason = s.PausedReason }
                : NewRuntime(def, now);
            // Continue this hour's history after a restart instead of overwriting it.
            var hours = await _store.ReadAsync((st, c) => st.Checks.ListHoursAsync(def.Key, hour, includeRaw: true, c), ct);
            rt.Bucket = hours.FirstOrDefault(h => h.Hour == hour) is { Raw: { } raw } ? HistoryBucket.FromRaw(def.Key, hour, raw) : new HistoryBucket(def.Key, hour);
            if (def.Check.Heartbeat is not null && await _store.ReadAsync((st, c) => st.Checks.GetHeartbeatAsync(def.Key, c), ct) is { } hb)
            {
                _heartbeats[def.Key] = hb;
            }

            _runtimes[def.Key] = rt;
            Enqueue(rt, now);
        }

        // Checks removed from the config while Vigil was down.
        var removed = byKey.Keys.Where(k => !_runtimes.ContainsKey(k)).ToList();
        if (removed.Count > 0)
        {
            await _store.RecordAsync(async (s, c) =>
            {
                foreach (var k in removed)
                {
                    await s.Checks.DeleteStatusAsync(k, c);
                }

                return 0;
            }, ct);
        }
    }

    private void Reconcile(VigilConfig config)
    {
        var now = _time.GetUtcNow();
        var defs = CheckDefinition.FromConfig(config).ToDictionary(d => d.Key, StringComparer.Ordinal);
        foreach (var (key, def) in defs)
        {
            if (_runtimes.TryGetValue(key, out var rt))
            {
                lock (rt.Gate)
                {
                    if (rt.Definition.Check.Every == def.Check.Every && rt.Definition.Check.Jitter == def.Check.Jitter)
                    {
                        // Same timing: keep the queued run, pick up the new settings when it fires.
                        rt.Definition = def;
                        continue;
                    }

                    rt.Definition = def;
                    rt.Generation++;
                }

                Enqueue(rt, now);
            }
            else
            {
                var fresh = NewRuntime(def, now);
                fresh.Bucket = new HistoryBucket(key, now);
                _runtimes[key] = fresh;
                Enqueue(fresh, now);
            }
        }

        foreach (var key in _runtimes.Keys.Where(k => !defs.ContainsKey(k)).ToList())
        {
            if (_runtimes.TryRemove(key, out _))
            {
                // Its history and state changes stay; the next flush deletes its live status row.
                _removed.Enqueue(key);
            }
        }
    }

    /// <summary>A check seen for the first time; <c>paused: true</c> in the config starts it paused.</summary>
    private static CheckRuntime NewRuntime(CheckDefinition def, DateTimeOffset now) =>
        new(def, CheckStatus.Initial(def.Key, now) with { Paused = def.Check.Paused }, now)
        {
            StatusDirty = true,
            PausedBy = def.Check.Paused ? "config" : null,
            PausedReason = def.Check.Paused ? "paused: true in the config" : null,
        };

    private void Enqueue(CheckRuntime rt, DateTimeOffset after)
    {
        var c = rt.Definition.Check;
        var due = CheckSchedule.NextAfter(rt.Key, c.Every, c.Jitter, after);
        lock (_queue)
        {
            _queue.Enqueue((rt.Key, rt.Generation), due);
        }
    }

    // ---- the loops ------------------------------------------------------------------------------

    private async Task SchedulerLoopAsync(CancellationToken ct)
    {
        Task<bool>? wakeTask = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Interlocked.Exchange(ref _pendingConfig, null) is { } pending)
                {
                    Reconcile(pending);
                }

                var now = _time.GetUtcNow();
                DateTimeOffset wakeAt;
                lock (_queue)
                {
                    while (_queue.TryPeek(out var entry, out var due) && due <= now)
                    {
                        _queue.Dequeue();
                        Dispatch(entry.Key, entry.Generation, due, now, ct);
                    }

                    wakeAt = _queue.TryPeek(out _, out var next) ? next : now + TimeSpan.FromSeconds(5);
                }

                SignalTurn();

                // One wake-up task lives across iterations: cancelling a channel wait per iteration
                // costs an exception each time (most of the loop's CPU when measured). Cancelling
                // the timer is cheap and keeps timers from piling up.
                wakeTask ??= _wake.Reader.WaitToReadAsync(ct).AsTask();
                using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(wakeAt - now, _time, delayCts.Token);
                // The clock may have moved between reading it and arming the timer (the timer then
                // counts from the later time and would fire late): check again after arming.
                if (_time.GetUtcNow() < wakeAt)
                {
                    await Task.WhenAny(delay, wakeTask);
                }

                await delayCts.CancelAsync();

                if (wakeTask.IsCompleted)
                {
                    wakeTask = null;
                    while (_wake.Reader.TryRead(out _))
                    {
                    }
                }

                _health.Succeeded("checks.scheduler");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _health.Failed("checks.scheduler", ex);
            }
        }
    }

    private void Dispatch(string key, int generation, DateTimeOffset due, DateTimeOffset now, CancellationToken ct)
    {
        if (!_runtimes.TryGetValue(key, out var rt) || rt.Generation != generation)
        {
            return;
        }

        var c = rt.Definition.Check;
        // Schedule from the due time, not from now, so a late loop does not drift the phase.
        _queue.Enqueue((key, generation), CheckSchedule.NextAfter(key, c.Every, c.Jitter, due));
        _lag.Record(now - due);
        lock (rt.Gate)
        {
            if (rt.Status.Paused)
            {
                return;
            }

            if (rt.InFlight)
            {
                rt.Skipped++;
                Interlocked.Increment(ref _skipped);
                return;
            }

            rt.InFlight = true;
        }

        _ = RunScheduledAsync(rt, ct);
    }

    private async Task RunScheduledAsync(CheckRuntime rt, CancellationToken ct)
    {
        try
        {
            await _concurrency.WaitAsync(ct);
            ProbeResult result;
            try
            {
                result = await ProbeOnceAsync(rt.Definition, ct);
            }
            finally
            {
                _concurrency.Release();
            }

            Interlocked.Increment(ref _probes);
            await ProcessAsync(rt, result, ct);
            _health.Succeeded("checks.probes");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _health.Failed("checks.probes", ex);
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

    private async Task<ProbeResult> ProbeOnceAsync(CheckDefinition def, CancellationToken ct)
    {
        if (def.Check.Heartbeat is { } hb)
        {
            _heartbeats.TryGetValue(def.Key, out var record);
            var since = _runtimes.TryGetValue(def.Key, out var rt) ? rt.WatchingSince : _time.GetUtcNow();
            return HeartbeatEvaluator.Evaluate(hb, record?.LastSuccess, record?.LastPing, since, _time.GetUtcNow());
        }

        try
        {
            return await _probe.ProbeAsync(def.Check, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // A prober bug becomes a result, never a dead loop.
            return ProbeResult.Unknown(FailureReason.Exec, TimeSpan.Zero, $"the probe failed unexpectedly: {ex.Message}");
        }
    }

    private async Task ProcessAsync(CheckRuntime rt, ProbeResult result, CancellationToken ct)
    {
        StateChangeWrite? write = null;
        var now = _time.GetUtcNow();
        lock (rt.Gate)
        {
            var (status, change) = CheckStateMachine.Apply(rt.Status, result, rt.Definition.Check, now);
            rt.Status = status;
            rt.MarkDirty();
            var hour = HistoryBucket.HourOf(now);
            if (rt.Bucket is null || rt.Bucket.Hour != hour)
            {
                if (rt.Bucket is { Count: > 0 } old)
                {
                    rt.Closed.Add(old);
                }

                rt.Bucket = new HistoryBucket(rt.Key, hour);
            }

            rt.Bucket.Add(new HistorySample(now, result.State, result.Reason, (int)Math.Min(int.MaxValue, result.Latency.TotalMilliseconds)));
            if (change is not null)
            {
                write = new StateChangeWrite(change, Stored(rt));
            }
        }

        if (write is not null)
        {
            await _changes.Writer.WriteAsync(write, ct);
        }
    }

    private async Task ChangeWriterLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await _changes.Reader.WaitToReadAsync(ct))
                {
                    return;
                }

                await DrainChangesAsync(ct);
                _health.Succeeded("checks.state-writer");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _health.Failed("checks.state-writer", ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
            }
        }
    }

    private readonly List<StateChangeWrite> _pendingWrites = [];
    private readonly SemaphoreSlim _drainLock = new(1, 1);

    /// <summary>
    /// Writes queued state changes. The writer loop and <see cref="DrainNowAsync"/> (final flush,
    /// tests) may both call it, so one drain runs at a time: the pending list is not thread-safe.
    /// </summary>
    private async Task DrainChangesAsync(CancellationToken ct)
    {
        await _drainLock.WaitAsync(ct);
        try
        {
            await DrainChangesLockedAsync(ct);
        }
        finally
        {
            _drainLock.Release();
        }
    }

    private async Task DrainChangesLockedAsync(CancellationToken ct)
    {
        while (_pendingWrites.Count < 500 && _changes.Reader.TryRead(out var w))
        {
            _pendingWrites.Add(w);
        }

        if (_pendingWrites.Count == 0)
        {
            return;
        }

        // On failure the batch stays pending and is retried: a confirmed change is never dropped.
        // Each change is also a signal for the incident engine, applied in the same transaction.
        var policy = _policies.Current;
        var config = _config.Current.Config;
        await _store.WriteAsync(async (s, c) =>
        {
            foreach (var w in _pendingWrites)
            {
                await s.Checks.InsertChangeAsync(w.Change, c);
                // The status as it is now, not as it was when the change was queued: a pause may
                // have committed in between and must not be overwritten.
                await s.Checks.UpsertStatusAsync(CurrentOr(w.Change.Key, w.Status), c);
                await s.Audit.AppendAsync(new AuditDraft("system:checks", "check.state", $"check/{w.Change.Key}", w.Change.Message,
                    JsonSerializer.Serialize(new { state = ReasonNames.ToName(w.Change.From) }),
                    JsonSerializer.Serialize(new { state = ReasonNames.ToName(w.Change.To), reason = ReasonNames.ToName(w.Change.Reason), flapping = w.Change.Flapping })), c);
                if (CheckSignals.FromChange(w.Change, config, policy) is { } signal)
                {
                    await IncidentWriter.ApplySignalAsync(s, policy, signal, "system:checks", c);
                }
            }

            return 0;
        }, ct);
        _pendingWrites.Clear();
    }

    private int _flushes;

    /// <summary>
    /// The periodic flush: counters every time; the current hour's history row (which re-encodes
    /// the whole hour so far) every fourth time. Finished hours are always written.
    /// </summary>
    private Task FlushAsync(CancellationToken ct) => FlushCoreAsync(++_flushes % 4 == 0, ct);

    private async Task FlushCoreAsync(bool withHistory, CancellationToken ct)
    {
        // Snapshot under each check's lock, write, and only then mark what was written as
        // flushed: a failed write leaves everything dirty for the next flush.
        var statuses = new List<(CheckRuntime Runtime, StoredCheckStatus Status, long Version)>();
        var closed = new List<(CheckRuntime Runtime, HistoryBucket Bucket)>();
        var current = new List<(CheckRuntime Runtime, HistoryBucket Bucket, int Count)>();
        var hours = new List<(HourRollup Rollup, byte[] Raw)>();
        foreach (var rt in _runtimes.Values)
        {
            lock (rt.Gate)
            {
                if (rt.StatusDirty)
                {
                    statuses.Add((rt, Stored(rt), rt.StatusVersion));
                }

                foreach (var b in rt.Closed)
                {
                    closed.Add((rt, b));
                    hours.Add((b.ToRollup(includeRaw: false), b.EncodeRaw()));
                }

                if (withHistory && rt.Bucket is { Dirty: true } bucket)
                {
                    current.Add((rt, bucket, bucket.Count));
                    hours.Add((bucket.ToRollup(includeRaw: false), bucket.EncodeRaw()));
                }
            }
        }

        var removed = new List<string>();
        while (_removed.TryDequeue(out var key))
        {
            removed.Add(key);
        }

        if (statuses.Count == 0 && hours.Count == 0 && removed.Count == 0)
        {
            return;
        }

        try
        {
            await _store.RecordAsync(async (s, c) =>
            {
                // Deletes first: a check removed and re-added since the last flush keeps its new row.
                foreach (var key in removed)
                {
                    await s.Checks.DeleteStatusAsync(key, c);
                }

                foreach (var (_, st, _) in statuses)
                {
                    await s.Checks.UpsertStatusAsync(st, c);
                }

                foreach (var (rollup, raw) in hours)
                {
                    await s.Checks.UpsertHourAsync(rollup, raw, c);
                }

                return 0;
            }, ct);
        }
        catch
        {
            foreach (var key in removed)
            {
                _removed.Enqueue(key);
            }

            throw;
        }

        foreach (var (rt, _, version) in statuses)
        {
            lock (rt.Gate)
            {
                rt.StatusDirty = rt.StatusVersion != version;
            }
        }

        foreach (var (rt, b) in closed)
        {
            lock (rt.Gate)
            {
                rt.Closed.Remove(b);
            }
        }

        foreach (var (rt, b, count) in current)
        {
            lock (rt.Gate)
            {
                if (b.Count == count)
                {
                    b.MarkFlushed();
                }
            }
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var (raw, rows) = await _store.RecordAsync((s, c) => s.Checks.PruneHistoryAsync(now - _options.RawRetention, now - _options.RollupRetention, c), ct);
        if (raw + rows > 0)
        {
            LogPruned(_logger, raw, rows);
        }
    }

    private async Task PeriodicAsync(string name, TimeSpan every, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, ct);
                await work(ct);
                _health.Succeeded(name);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _health.Failed(name, ex);
            }
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

        return _runtimes.Values.All(rt => { lock (rt.Gate) { return !rt.InFlight; } });
    }

    /// <summary>
    /// Completes after the engine's next turn: the scheduler going back to sleep, or a probe finishing.
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

    /// <summary>Writes pending counters and history now (tests and shutdown).</summary>
    internal Task FlushNowAsync(CancellationToken ct) => FlushCoreAsync(withHistory: true, ct);

    /// <summary>Writes pending state changes now (tests).</summary>
    internal Task DrainNowAsync(CancellationToken ct) => DrainChangesAsync(ct);

    private StoredCheckStatus CurrentOr(string key, StoredCheckStatus fallback)
    {
        if (!_runtimes.TryGetValue(key, out var rt))
        {
            return fallback;
        }

        lock (rt.Gate)
        {
            return Stored(rt);
        }
    }

    private static StoredCheckStatus Stored(CheckRuntime rt) => new(rt.Status, rt.PausedBy, rt.PausedReason, rt.WatchingSince);

    [LoggerMessage(Level = LogLevel.Error, Message = "Final flush of check state failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned history: raw samples of {Raw} hour(s), {Rows} expired row(s)")]
    private static partial void LogPruned(ILogger logger, int raw, int rows);

    private sealed record StateChangeWrite(StateChange Change, StoredCheckStatus Status);
}
