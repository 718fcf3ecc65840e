using Microsoft.Extensions.Logging;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Checks;

/// <summary>
/// Writes what the probes changed in memory: statuses every <see cref="CheckEngineOptions.FlushEvery"/>,
/// the current hour's history every fourth time (it re-encodes the hour so far), finished hours
/// and removed checks' deletes always. Once more on stop. Reports as <c>checks.flush</c>.
/// </summary>
public sealed partial class CheckHistoryFlusher : PeriodicLoop
{
    internal const string HealthName = "checks.flush";

    private readonly IVigilStore _store;
    private readonly CheckRegistry _registry;
    private readonly CheckEngineOptions _options;
    private readonly ILogger<CheckHistoryFlusher> _logger;
    private int _flushes;

    public CheckHistoryFlusher(IVigilStore store, CheckRegistry registry, HealthBoard health, TimeProvider time, CheckEngineOptions options, ILogger<CheckHistoryFlusher> logger)
        : base(time, health, HealthName)
    {
        _store = store;
        _registry = registry;
        _options = options;
        _logger = logger;
    }

    protected override TimeSpan Period => _options.FlushEvery;

    protected override async Task TurnAsync(CancellationToken ct)
    {
        await FlushAsync(++_flushes % 4 == 0, ct);
        // On a cluster: the state of the checks other nodes probe, as they flushed it.
        await _registry.RefreshAsync(ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(withHistory: true, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogFlushFailed(_logger, ex);
        }
    }

    /// <summary>Writes pending counters and history now (tests and shutdown).</summary>
    internal Task FlushNowAsync(CancellationToken ct) => FlushAsync(withHistory: true, ct);

    /// <summary>
    /// Checks per write. The hour rows of a whole flush (encoded raw samples and minute rollups of
    /// every check) would otherwise all be held at once: with 10,000 checks near the end of an hour
    /// that is tens of MB on top of the steady state.
    /// </summary>
    internal const int ChunkSize = 1000;

    private async Task FlushAsync(bool withHistory, CancellationToken ct)
    {
        var removed = _registry.TakeRemoved();
        var runtimes = _registry.Runtimes.ToList();
        for (var i = 0; i < runtimes.Count || (i == 0 && removed.Count > 0); i += ChunkSize)
        {
            await FlushChunkAsync(runtimes.Skip(i).Take(ChunkSize), withHistory, i == 0 ? removed : [], ct);
        }
    }

    private async Task FlushChunkAsync(IEnumerable<CheckRuntime> runtimes, bool withHistory, List<string> removed, CancellationToken ct)
    {
        // Snapshot under each check's lock, write, and only then mark what was written as
        // flushed: a failed write leaves everything dirty for the next flush.
        var statuses = new List<(CheckRuntime Runtime, StoredCheckStatus Status, long Version)>();
        var closed = new List<(CheckRuntime Runtime, HistoryBucket Bucket)>();
        var current = new List<(CheckRuntime Runtime, HistoryBucket Bucket, int Count)>();
        var hours = new List<(HourRollup Rollup, byte[] Raw)>();
        foreach (var rt in runtimes)
        {
            // Another node's check: that node writes its state and history (a check moving here is read again first).
            if (!_registry.Owns(rt.Key))
            {
                continue;
            }

            lock (rt.Gate)
            {
                if (rt.StatusDirty)
                {
                    statuses.Add((rt, rt.Stored(), rt.StatusVersion));
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
            _registry.ReturnRemoved(removed);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Final flush of check state failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex);
}
