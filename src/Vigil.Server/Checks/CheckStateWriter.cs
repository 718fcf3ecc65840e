using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Incidents;
using Vigil.Server.Telemetry;

namespace Vigil.Server.Checks;

/// <summary>
/// Writes confirmed state changes: the change row, the status, the audit entry and the signal
/// the incident engine makes of it (<see cref="IncidentWriter.ApplySignalAsync"/>), in one
/// transaction per batch. Reports to the health board as <c>checks.state-writer</c>.
/// </summary>
public sealed partial class CheckStateWriter : BackgroundService
{
    internal const string HealthName = "checks.state-writer";

    private readonly ConfigState _config;
    private readonly IVigilStore _store;
    private readonly CheckRegistry _registry;
    private readonly IncidentPolicies _policies;
    private readonly HealthBoard _health;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckStateWriter> _logger;
    private readonly IncidentTraces _traces;
    private readonly Channel<StateChangeWrite> _changes = Channel.CreateBounded<StateChangeWrite>(new BoundedChannelOptions(50_000) { SingleReader = true });
    private readonly List<StateChangeWrite> _pending = [];
    private readonly SemaphoreSlim _drainLock = new(1, 1);

    public CheckStateWriter(ConfigState config, IVigilStore store, CheckRegistry registry, IncidentPolicies policies, HealthBoard health, TimeProvider time,
        ILogger<CheckStateWriter> logger, IncidentTraces? traces = null)
    {
        _traces = traces ?? new IncidentTraces();
        _config = config;
        _store = store;
        _registry = registry;
        _policies = policies;
        _health = health;
        _time = time;
        _logger = logger;
    }

    internal ValueTask EnqueueAsync(StateChangeWrite write, CancellationToken ct) => _changes.Writer.WriteAsync(write, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await _changes.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                await DrainAsync(stoppingToken);
                _health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _health.Failed(HealthName, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _changes.Writer.TryComplete();
        try
        {
            // Whatever the loop had not written yet: a confirmed change is never dropped on a clean stop.
            await DrainAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogFinalDrainFailed(_logger, ex);
        }
    }

    /// <summary>Writes pending state changes now (shutdown, tests).</summary>
    internal Task DrainNowAsync(CancellationToken ct) => DrainAsync(ct);

    /// <summary>
    /// Writes queued state changes. The loop and <see cref="DrainNowAsync"/> may both call it, so
    /// one drain runs at a time: the pending list is not thread-safe.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        await _drainLock.WaitAsync(ct);
        try
        {
            await DrainLockedAsync(ct);
        }
        finally
        {
            _drainLock.Release();
        }
    }

    private async Task DrainLockedAsync(CancellationToken ct)
    {
        while (_pending.Count < 500 && _changes.Reader.TryRead(out var w))
        {
            _pending.Add(w);
        }

        if (_pending.Count == 0)
        {
            return;
        }

        // On failure the batch stays pending and is retried: a confirmed change is never dropped.
        // Each change is also a signal for the incident engine, applied in the same transaction.
        var policy = _policies.Current;
        var config = _config.Current.Config;
        var fenced = 0;
        await _store.WriteAsync(async (s, c) =>
        {
            s.Raise(CommitTopics.PublicStatus);
            var writes = await FencedAsync(s, c);
            fenced = _pending.Count - writes.Count;
            if (fenced > 0)
            {
                // Not written, and said so: the refusal is the audit entry of a batch that may hold nothing else.
                var keys = _pending.Except(writes).Select(w => w.Change.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                await s.Audit.AppendAsync(new AuditDraft("system:checks", "check.state_refused", $"checks/{keys.Count}",
                    $"{fenced} state change(s) of {keys.Count} check(s) not written: their shards moved to another node, which probes them now", null,
                    JsonSerializer.Serialize(new { checks = keys.Take(50), count = keys.Count })), c);
            }

            foreach (var w in writes)
            {
                await s.Checks.InsertChangeAsync(w.Change, c);
                // The status as it is now, not as it was when the change was queued: a pause may
                // have committed in between and must not be overwritten.
                await s.Checks.UpsertStatusAsync(_registry.CurrentOr(w.Change.Key, w.Status), c);
                await s.Audit.AppendAsync(new AuditDraft("system:checks", "check.state", $"check/{w.Change.Key}", w.Change.Message,
                    JsonSerializer.Serialize(new { state = ReasonNames.ToName(w.Change.From) }),
                    JsonSerializer.Serialize(new { state = ReasonNames.ToName(w.Change.To), reason = ReasonNames.ToName(w.Change.Reason), flapping = w.Change.Flapping })), c);
                if (CheckSignals.FromChange(w.Change, config, policy) is { } signal)
                {
                    using var span = IncidentTraces.StartWrite(w.Trace, signal);
                    var outcome = await IncidentWriter.ApplySignalAsync(s, policy, signal, "system:checks", c);
                    _traces.Remember(span, outcome.IncidentId, outcome.Changed);
                }
            }

            return 0;
        }, ct);
        VigilMetrics.Batch("check_state", _pending.Count);
        if (fenced > 0)
        {
            LogFenced(_logger, fenced);
        }

        _pending.Clear();
    }

    /// <summary>
    /// The pending changes this node may still write, checked inside the write's transaction: on a cluster, those of checks whose
    /// shard lease it still holds, with the token it probed under, unexpired. The others' shards moved to another node while the
    /// change waited here (this node was paused, or cut off): that node probes them now, from the state it read when it took them.
    /// </summary>
    private async Task<IReadOnlyList<StateChangeWrite>> FencedAsync(IStoreSession s, CancellationToken ct)
    {
        if (_registry.Ownership is not { Sharded: true } ownership)
        {
            return _pending;
        }

        var leases = (await s.Cluster.ListLeasesAsync(ct)).ToDictionary(l => l.Name, StringComparer.Ordinal);
        return _pending.Where(w => ownership.FenceFor(w.Change.Key) is { } f && leases.TryGetValue(f.Lease, out var l)
            && l.Holder == f.Holder && l.Token == f.Token && l.ExpiresAt > s.Now).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} check state change(s) were not written: their checks' shards moved to another node, which probes them now")]
    private static partial void LogFenced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Final write of check state changes failed")]
    private static partial void LogFinalDrainFailed(ILogger logger, Exception ex);
}
