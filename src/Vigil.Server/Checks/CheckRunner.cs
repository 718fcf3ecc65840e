using System.Diagnostics;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Server.Config;

namespace Vigil.Server.Checks;

/// <summary>
/// Runs one check once and applies the result: the probe (or the heartbeat evaluation) under the
/// global concurrency bound, then <see cref="CheckStateMachine"/> on the check's status, the
/// sample into its hour bucket, and a confirmed change handed to <see cref="CheckStateWriter"/>.
/// Used by the scheduler, by on-demand probes and by heartbeat pings.
/// </summary>
public sealed class CheckRunner
{
    private readonly ConfigState _config;
    private readonly CheckRegistry _registry;
    private readonly ICheckProbe _probe;
    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly HeartbeatTokens _heartbeatTokens;
    private readonly CheckStateWriter _writer;
    private readonly SemaphoreSlim _concurrency;

    public CheckRunner(ConfigState config, CheckRegistry registry, ICheckProbe probe, IVigilStore store, TimeProvider time, HeartbeatTokens heartbeatTokens,
        CheckStateWriter writer, CheckEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _config = config;
        _registry = registry;
        _probe = probe;
        _store = store;
        _time = time;
        _heartbeatTokens = heartbeatTokens;
        _writer = writer;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    /// <summary>Runs the matching checks now and returns their results; does not change state.</summary>
    public async Task<IReadOnlyList<(CheckDefinition Definition, ProbeResult Result)>> ProbeNowAsync(Func<CheckDefinition, bool> match, CancellationToken ct)
    {
        var defs = CheckDefinition.FromConfig(_config.Current.Config).Where(match).ToList();
        var results = new (CheckDefinition, ProbeResult)[defs.Count];
        await Parallel.ForAsync(0, defs.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, c) =>
        {
            // On-demand probes count against the same global bound as scheduled ones.
            results[i] = (defs[i], await ProbeBoundedAsync(defs[i], c));
        });
        return results;
    }

    /// <summary>Records a heartbeat ping. Returns the check's key, or null for an unknown token.</summary>
    public async Task<string?> RecordHeartbeatAsync(string token, HeartbeatPingKind kind, int? exitCode, CancellationToken ct)
    {
        var def = _heartbeatTokens.Find(token, _config.Current.Config);
        if (def is null || !_registry.TryGet(def.Key, out var rt))
        {
            return null;
        }

        var ping = new HeartbeatPing(kind, _time.GetUtcNow(), exitCode);
        var sharded = _registry.Ownership is { Sharded: true };
        await _store.RecordAsync(async (s, c) =>
        {
            // On a cluster pings land on any node: the ping is added to the record as stored, which other nodes' pings update too.
            var basis = sharded ? await s.Checks.GetHeartbeatAsync(def.Key, c) : null;
            await s.Checks.UpsertHeartbeatAsync(_registry.RecordPing(def.Key, ping, basis), c);
            return 0;
        }, ct);
        // The node that probes the check evaluates it; another node's ping reaches it through the store at its next evaluation.
        if (kind != HeartbeatPingKind.Start && _registry.Owns(def.Key))
        {
            await ApplyAsync(rt, await ProbeOnceAsync(def, ct), ct);
        }

        return def.Key;
    }

    /// <summary>One scheduled run: probe under the bound, then apply the result.</summary>
    internal async Task RunAsync(CheckRuntime rt, CancellationToken ct) =>
        await ApplyAsync(rt, await ProbeBoundedAsync(rt.Definition, ct), ct);

    private async Task<ProbeResult> ProbeBoundedAsync(CheckDefinition def, CancellationToken ct)
    {
        await _concurrency.WaitAsync(ct);
        try
        {
            return await ProbeOnceAsync(def, ct);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task<ProbeResult> ProbeOnceAsync(CheckDefinition def, CancellationToken ct)
    {
        if (def.Check.Heartbeat is { } hb)
        {
            if (_registry.Ownership is { Sharded: true })
            {
                // Pings may have reached other nodes of the cluster since: the stored record has them all.
                _registry.SetHeartbeat(await _store.ReadAsync((s, c) => s.Checks.GetHeartbeatAsync(def.Key, c), ct), def.Key);
            }

            var record = _registry.Heartbeat(def.Key);
            var since = _registry.TryGet(def.Key, out var rt) ? rt.WatchingSince : _time.GetUtcNow();
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

    private static readonly string[] KindNames = Enum.GetValues<CheckKind>().Select(k => k.ToString().ToLowerInvariant()).ToArray();

    private async Task ApplyAsync(CheckRuntime rt, ProbeResult result, CancellationToken ct)
    {
        VigilMetrics.Probe(KindNames[(int)rt.Definition.Check.Kind], ReasonNames.ToName(result.State));
        StateChangeWrite? write = null;
        var now = _time.GetUtcNow();
        lock (rt.Gate)
        {
            var (status, change) = CheckStateMachine.Apply(rt.Status, result, rt.Definition.Check, now);
            if (rt.Rearmed && (change is not null || status.State == HealthState.Ok || result.State != HealthState.Ok))
            {
                // Resolved by hand while failing: a failing result re-asserts the state, so the signal fires again.
                change ??= status.State == HealthState.Ok ? null
                    : new StateChange(rt.Key, status.State, status.State, status.Reason, now, $"still {ReasonNames.ToName(status.State)} after its incident was resolved by hand", false);
                rt.Rearmed = false;
            }

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
                // The root of the signal's trace: this confirmed change, carried to the state writer's incident write.
                using var span = VigilTracing.Source.StartActivity("vigil.check.state_change", ActivityKind.Internal, parentContext: default);
                span?.SetTag("vigil.check", rt.Key);
                span?.SetTag("vigil.check.state", ReasonNames.ToName(change.To));
                write = new StateChangeWrite(change, rt.Stored(), span?.Context ?? default);
            }
        }

        if (write is not null)
        {
            await _writer.EnqueueAsync(write, ct);
        }
    }
}
