using System.Collections.Concurrent;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Config;

namespace Vigil.Server.Checks;

/// <summary>
/// The live set of checks: loads their stored state at start (one read), reconciles it with each
/// applied config, answers snapshots, and pauses or resumes a check on the record. It runs no
/// loop; <see cref="CheckScheduler"/> loads it and schedules what it returns.
/// </summary>
public sealed class CheckRegistry
{
    private readonly ConfigState _config;
    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly HeartbeatTokens _heartbeatTokens;
    private readonly ConcurrentDictionary<string, CheckRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HeartbeatRecord> _heartbeats = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _removed = new();
    private readonly SemaphoreSlim _pauseLock = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CheckRegistry(ConfigState config, IVigilStore store, TimeProvider time, HeartbeatTokens heartbeatTokens)
    {
        _config = config;
        _store = store;
        _time = time;
        _heartbeatTokens = heartbeatTokens;
    }

    /// <summary>Completes once stored state has been loaded and checks are scheduled.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Which checks this node probes (set by the server; null, as in a test harness, means all of them).</summary>
    public Cluster.CheckOwnership? Ownership { get; set; }

    /// <summary>True when this node probes the check with <paramref name="key"/> now, and so writes its state.</summary>
    internal bool Owns(string key) => Ownership?.Owns(key) ?? true;

    public int Count => _runtimes.Count;

    internal ICollection<CheckRuntime> Runtimes => _runtimes.Values;

    internal bool TryGet(string key, out CheckRuntime runtime) => _runtimes.TryGetValue(key, out runtime!);

    /// <summary>Every check with its current state, in config order.</summary>
    public IReadOnlyList<CheckSnapshot> Snapshot()
    {
        var defs = CheckDefinition.FromConfig(_config.Current.Config);
        var now = _time.GetUtcNow();
        var list = new List<CheckSnapshot>(defs.Count);
        foreach (var d in defs)
        {
            if (_runtimes.TryGetValue(d.Key, out var rt))
            {
                lock (rt.Gate)
                {
                    list.Add(new CheckSnapshot(rt.Definition, rt.Status, rt.PausedBy, rt.PausedReason, rt.Skipped,
                        d.Check.Heartbeat is null ? null : _heartbeatTokens.TokenFor(d),
                        CheckPending.Evaluate(rt.Status, rt.Definition.Check, now)));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// Loads all stored check state in one read (status rows, this hour's history, heartbeats),
    /// builds the runtimes for <paramref name="config"/> and forgets the state of checks removed
    /// while Vigil was down. Returns the runtimes to schedule.
    /// </summary>
    internal async Task<IReadOnlyList<CheckRuntime>> LoadAsync(VigilConfig config, CancellationToken ct)
    {
        try
        {
            var now = _time.GetUtcNow();
            var stored = await ReadStoredAsync(now, ct);
            var byKey = stored.Status;
            var loaded = new List<CheckRuntime>();
            foreach (var def in CheckDefinition.FromConfig(config))
            {
                var rt = byKey.TryGetValue(def.Key, out var s)
                    ? new CheckRuntime(def, s.Status, s.WatchingSince) { PausedBy = s.PausedBy, PausedReason = s.PausedReason }
                    : NewRuntime(def, now);
                // Continue this hour's history after a restart instead of overwriting it.
                rt.Bucket = stored.Bucket(def.Key);
                if (def.Check.Heartbeat is not null && stored.Heartbeats.TryGetValue(def.Key, out var hb))
                {
                    _heartbeats[def.Key] = hb;
                }

                _runtimes[def.Key] = rt;
                loaded.Add(rt);
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

            return loaded;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _loaded.TrySetException(ex);
            throw;
        }
    }

    /// <summary>
    /// Reads again from the store the state of the checks <paramref name="which"/> selects (status, pause, this hour's history,
    /// heartbeat pings), replacing what this node holds in memory: for checks that move to this node from another one
    /// (<see cref="Cluster.ClusterNode.RebalanceAsync"/>), which wrote their state while it probed them. A check with no stored
    /// state starts afresh (unknown, its pause kept): what this node last held of it may be older than another node's probes.
    /// Returns how many checks were read.
    /// </summary>
    internal async Task<int> ReloadAsync(Func<string, bool> which, CancellationToken ct)
    {
        var targets = _runtimes.Values.Where(rt => which(rt.Key)).ToList();
        if (targets.Count == 0)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var stored = await ReadStoredAsync(now, ct);
        foreach (var rt in targets)
        {
            lock (rt.Gate)
            {
                if (stored.Status.TryGetValue(rt.Key, out var s))
                {
                    rt.Status = s.Status;
                    rt.PausedBy = s.PausedBy;
                    rt.PausedReason = s.PausedReason;
                    rt.WatchingSince = s.WatchingSince;
                    rt.StatusDirty = false;
                }
                else
                {
                    rt.Status = CheckStatus.Initial(rt.Key, now) with { Paused = rt.Status.Paused };
                    rt.WatchingSince = now;
                    rt.MarkDirty();
                }

                rt.Bucket = stored.Bucket(rt.Key);
                rt.Closed.Clear();
            }

            if (stored.Heartbeats.TryGetValue(rt.Key, out var hb))
            {
                _heartbeats[rt.Key] = hb;
            }
        }

        return targets.Count;
    }

    /// <summary>
    /// On a cluster, brings this node's view in line with the store: the checks other nodes probe take their stored status (so the
    /// API, the console and the status page answer the same on every node), and a check this node probes follows a pause or resume
    /// committed on another node. Returns how many checks changed here. Does nothing when this node probes every check.
    /// </summary>
    internal async Task<int> RefreshAsync(CancellationToken ct)
    {
        if (Ownership is not { Sharded: true } ownership)
        {
            return 0;
        }

        var stored = (await _store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), ct)).ToDictionary(s => s.Status.Key, StringComparer.Ordinal);
        var changed = 0;
        foreach (var rt in _runtimes.Values)
        {
            if (!stored.TryGetValue(rt.Key, out var s))
            {
                continue;
            }

            lock (rt.Gate)
            {
                if (!ownership.Owns(rt.Key))
                {
                    changed += rt.Status == s.Status ? 0 : 1;
                    rt.Status = s.Status;
                    rt.StatusDirty = false;
                }
                else if (rt.Status.Paused != s.Status.Paused)
                {
                    rt.Status = CheckStateMachine.SetPaused(rt.Status, s.Status.Paused, s.Status.Since);
                    rt.MarkDirty();
                    changed++;
                }
                else
                {
                    continue;
                }

                rt.PausedBy = s.PausedBy;
                rt.PausedReason = s.PausedReason;
                rt.WatchingSince = s.WatchingSince;
            }
        }

        return changed;
    }

    /// <summary>All stored check state in one read: status rows, the raw history of the hour of <paramref name="now"/>, heartbeats.</summary>
    private async Task<StoredState> ReadStoredAsync(DateTimeOffset now, CancellationToken ct)
    {
        var hour = HistoryBucket.HourOf(now);
        var (stored, hours, heartbeats) = await _store.ReadAsync(async (s, c) =>
            (await s.Checks.ListStatusAsync(c), await s.Checks.ListHourRawAsync(hour, c), await s.Checks.ListHeartbeatsAsync(c)), ct);
        return new StoredState(hour, stored.ToDictionary(s => s.Status.Key, StringComparer.Ordinal),
            hours.ToDictionary(h => h.Key, h => h.Raw, StringComparer.Ordinal), heartbeats.ToDictionary(h => h.Key, StringComparer.Ordinal));
    }

    private sealed record StoredState(DateTimeOffset Hour, Dictionary<string, StoredCheckStatus> Status, Dictionary<string, byte[]?> Hours,
        Dictionary<string, HeartbeatRecord> Heartbeats)
    {
        /// <summary>The check's bucket for <see cref="Hour"/>: what is stored of it, or a new one.</summary>
        public HistoryBucket Bucket(string key) => Hours.TryGetValue(key, out var raw) && raw is not null
            ? HistoryBucket.FromRaw(key, Hour, HistoryBucket.DecodeSamples(Hour, raw))
            : new HistoryBucket(key, Hour);
    }

    /// <summary>Marks loading done (after the scheduler queued the loaded checks).</summary>
    internal void MarkLoaded() => _loaded.TrySetResult();

    /// <summary>
    /// Applies a new config as <see cref="CheckReconcile.Plan"/> decides: updates definitions, adds new
    /// checks, drops removed ones (their status row is deleted by the next flush). Returns the runtimes whose timing changed or are new,
    /// which the scheduler (re)queues.
    /// </summary>
    internal IReadOnlyList<CheckRuntime> Reconcile(VigilConfig config)
    {
        var now = _time.GetUtcNow();
        var defs = CheckDefinition.FromConfig(config).ToDictionary(d => d.Key, StringComparer.Ordinal);
        // Timings change only here, on the scheduler's loop, so reading them without the gates is safe.
        var plan = CheckReconcile.Plan(_runtimes.Select(kv => KeyValuePair.Create(kv.Key, Timing(kv.Value.Definition))),
            defs.Select(kv => KeyValuePair.Create(kv.Key, Timing(kv.Value))));
        var toSchedule = new List<CheckRuntime>();
        foreach (var key in plan.Kept)
        {
            var rt = _runtimes[key];
            lock (rt.Gate)
            {
                // Same timing: keep the queued run, pick up the new settings when it fires.
                rt.Definition = defs[key];
            }
        }

        foreach (var key in plan.Retimed)
        {
            var rt = _runtimes[key];
            lock (rt.Gate)
            {
                rt.Definition = defs[key];
                rt.Generation++;
            }

            toSchedule.Add(rt);
        }

        foreach (var key in plan.Added)
        {
            var fresh = NewRuntime(defs[key], now);
            fresh.Bucket = new HistoryBucket(key, now);
            _runtimes[key] = fresh;
            toSchedule.Add(fresh);
        }

        foreach (var key in plan.Removed)
        {
            if (_runtimes.TryRemove(key, out _))
            {
                // Its history and state changes stay; the next flush deletes its live status row.
                _removed.Enqueue(key);
            }
        }

        return toSchedule;
    }

    private static CheckTiming Timing(CheckDefinition def) => new(def.Check.Every, def.Check.Jitter);

    /// <summary>Keys removed from the config whose status rows are not deleted yet.</summary>
    internal List<string> TakeRemoved()
    {
        var removed = new List<string>();
        while (_removed.TryDequeue(out var key))
        {
            removed.Add(key);
        }

        return removed;
    }

    /// <summary>Puts back keys whose delete failed, for the next flush.</summary>
    internal void ReturnRemoved(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _removed.Enqueue(key);
        }
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
                    s.Raise(CommitTopics.PublicStatus | CommitTopics.CheckPauses);
                    await s.Checks.SetPauseAsync(after, c);
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

    /// <summary>The last heartbeat record of a push check, if any.</summary>
    /// <summary>
    /// The incident <paramref name="key"/>'s signal was on was resolved by hand while the check still failed:
    /// its next failing result fires the signal again. Unknown keys (not a check's signal) are ignored.
    /// </summary>
    public void Rearm(string key)
    {
        if (_runtimes.TryGetValue(key, out var rt))
        {
            lock (rt.Gate)
            {
                rt.Rearmed = true;
            }
        }
    }

    internal HeartbeatRecord? Heartbeat(string key) => _heartbeats.TryGetValue(key, out var r) ? r : null;

    /// <summary>
    /// Records a ping in memory and returns the record to store: the ping added to <paramref name="basis"/> (the record as stored,
    /// on a cluster) or else to the record in memory.
    /// </summary>
    internal HeartbeatRecord RecordPing(string key, HeartbeatPing ping, HeartbeatRecord? basis = null)
    {
        if (basis is not null)
        {
            _heartbeats[key] = basis;
        }

        return _heartbeats.AddOrUpdate(key,
            k => new HeartbeatRecord(k, ping.Kind == HeartbeatPingKind.Success ? ping.At : null, ping),
            (_, old) => old with { LastSuccess = ping.Kind == HeartbeatPingKind.Success ? ping.At : old.LastSuccess, LastPing = ping });
    }

    /// <summary>Replaces the heartbeat record of <paramref name="key"/> with <paramref name="record"/> as stored (none: no ping yet).</summary>
    internal void SetHeartbeat(HeartbeatRecord? record, string key)
    {
        if (record is null)
        {
            _heartbeats.TryRemove(key, out _);
        }
        else
        {
            _heartbeats[key] = record;
        }
    }

    /// <summary>The status as it is now, or <paramref name="fallback"/> for a check no longer live.</summary>
    internal StoredCheckStatus CurrentOr(string key, StoredCheckStatus fallback)
    {
        if (!_runtimes.TryGetValue(key, out var rt))
        {
            return fallback;
        }

        lock (rt.Gate)
        {
            return rt.Stored();
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
}
