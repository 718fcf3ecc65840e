namespace Vigil.Core.Storage;

/// <summary>
/// The one store contract. Every backend (SQLite now, PostgreSQL for clusters) implements it,
/// and everything else in Vigil reaches the database only through it.
/// <para>
/// A write is one transaction: the state change, its audit entry (and later its timeline and
/// outbox rows) commit together or not at all. <see cref="WriteAsync{T}"/> refuses to commit a
/// write that appended no audit entry, so an unaudited state change is a bug caught in tests.
/// </para>
/// </summary>
public interface IVigilStore : IAsyncDisposable
{
    /// <summary>A description safe to show, such as <c>sqlite:/var/lib/vigil/vigil.db</c>.</summary>
    string Description { get; }

    /// <summary>Applies pending forward-only migrations; returns the schema version now in force.</summary>
    Task<int> MigrateAsync(CancellationToken ct);

    /// <summary>
    /// Proves the store can commit: a real write of one probe row, committed durably. Returns null
    /// when it committed, else one sentence saying why not (safe to show on <c>/readyz</c>).
    /// </summary>
    Task<string?> ProbeWriteAsync(CancellationToken ct);

    /// <summary>
    /// Runs read-only work on a consistent snapshot. Like the writes below, it throws
    /// <see cref="StoreUnavailableException"/> when the database cannot be used at all (full disk,
    /// read-only, corrupt, removed), so callers answer 503 rather than 500.
    /// </summary>
    Task<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Runs work in one write transaction and commits it. The work must append at least one audit
    /// entry through <see cref="IStoreSession.Audit"/>; otherwise the transaction is rolled back and
    /// an <see cref="InvalidOperationException"/> is thrown.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Runs work in one write transaction without requiring an audit entry. Only for telemetry
    /// that is not a state change: probe history, rollups, pruning, heartbeat receipts. Anything
    /// an operator would ask "who changed this?" about goes through <see cref="WriteAsync{T}"/>.
    /// </summary>
    Task<T> RecordAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Completes when the next write transaction (of <see cref="WriteAsync{T}"/> or <see cref="RecordAsync{T}"/>)
    /// has committed. For followers that wait for stored state to change rather than poll on a timer: take
    /// the task first, then read, then await it if what was read is not there yet.
    /// </summary>
    Task NextCommitAsync(CancellationToken ct);
}
