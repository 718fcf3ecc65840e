using Vigil.Core.Checks;

namespace Vigil.Core.Storage;

/// <summary>Check state, state changes (kept forever), hourly history and heartbeats.</summary>
public interface ICheckRepository
{
    Task<IReadOnlyList<StoredCheckStatus>> ListStatusAsync(CancellationToken ct);

    /// <summary>
    /// Writes a check's status as an engine holds it in memory. An existing row whose pause differs is left as it is: a pause or
    /// resume committed meanwhile (on this node or another of a cluster) wins over a status taken from memory before it; the
    /// engine writes again once it has applied the pause. Pauses themselves are written with <see cref="SetPauseAsync"/>.
    /// </summary>
    Task UpsertStatusAsync(StoredCheckStatus status, CancellationToken ct);

    /// <summary>Writes a check's status with a change of its pause (pause or resume), whatever the row held.</summary>
    Task SetPauseAsync(StoredCheckStatus status, CancellationToken ct);

    /// <summary>Removes state for checks no longer in the config (their changes and history stay).</summary>
    Task DeleteStatusAsync(string key, CancellationToken ct);

    Task InsertChangeAsync(StateChange change, CancellationToken ct);

    Task<IReadOnlyList<StateChange>> ListChangesAsync(string key, DateTimeOffset since, int limit, CancellationToken ct);

    /// <summary>Inserts or replaces one hour of history. <paramref name="raw"/> is the encoded samples, or null once pruned.</summary>
    Task UpsertHourAsync(HourRollup rollup, byte[]? raw, CancellationToken ct);

    Task<IReadOnlyList<HourRollup>> ListHoursAsync(string key, DateTimeOffset since, bool includeRaw, CancellationToken ct);

    /// <summary>
    /// Every check's hourly history from <paramref name="since"/> (rounded down to its UTC day) on, summed
    /// per check and UTC day in one query: the uptime bars of the status page.
    /// </summary>
    Task<IReadOnlyList<DailyTotal>> ListDailyTotalsAsync(DateTimeOffset since, CancellationToken ct);

    /// <summary>Drops raw samples of hours before <paramref name="rawBefore"/> and whole rows before <paramref name="rollupsBefore"/>.</summary>
    Task<(int RawPruned, int RowsDeleted)> PruneHistoryAsync(DateTimeOffset rawBefore, DateTimeOffset rollupsBefore, CancellationToken ct);

    /// <summary>Every check's encoded raw samples of one hour, in one query (start-up reads them all at once).</summary>
    Task<IReadOnlyList<StoredHourRaw>> ListHourRawAsync(DateTimeOffset hour, CancellationToken ct);

    Task<HeartbeatRecord?> GetHeartbeatAsync(string key, CancellationToken ct);

    /// <summary>Every heartbeat record, in one query.</summary>
    Task<IReadOnlyList<HeartbeatRecord>> ListHeartbeatsAsync(CancellationToken ct);

    Task UpsertHeartbeatAsync(HeartbeatRecord record, CancellationToken ct);
}
