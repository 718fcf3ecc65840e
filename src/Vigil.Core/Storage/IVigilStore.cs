namespace Vigil.Core.Storage;

/// <summary>
/// The one store contract. Every backend (SQLite now, PostgreSQL for clusters) implements it,
/// and everything else in Vigil reaches the database only through it.
/// <para>
/// A write is one transaction: the state change, its audit entry (and later its timeline and
/// outbox rows) commit together or not at all. <see cref="WriteAsync{T}"/> refuses to commit a
/// write that appended no audit entry, so an unaudited state change is a bug caught in tests.
/// </para>
/// <para>
/// A backend may run a transaction's work more than once: PostgreSQL runs it again from the start after a
/// serialization failure, a deadlock or a connection lost before COMMIT, when the server has rolled the
/// attempt back. So work keeps its effects inside the session until it returns. Errors are Vigil's own:
/// <see cref="StoreUnavailableException"/> (the store cannot be used now; 503) and
/// <see cref="StoreConflictException"/> (a unique key taken, or a conflict that outlasted the retries; 409).
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
    /// Writes an online, consistent copy of the whole database to <paramref name="file"/> (which must not
    /// exist) while writers go on: the copy is one snapshot, as of one commit. <c>vigil backup self</c>.
    /// </summary>
    Task CopyToAsync(string file, CancellationToken ct);

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
    /// Runs work that may be refused for an expected reason (not found, changed meanwhile) in one write
    /// transaction. When the work returns a <see cref="Results.Refused"/>, the transaction is rolled back —
    /// nothing the work wrote commits, and no audit entry is needed — and the refusal is returned. Otherwise
    /// it commits like <see cref="WriteAsync{T}"/>, which requires an audit entry.
    /// </summary>
    Task<Results.Outcome<T>> TryWriteAsync<T>(Func<IStoreSession, CancellationToken, Task<Results.Outcome<T>>> work, CancellationToken ct);

    /// <summary>
    /// Runs work in one write transaction and commits it without the store checking for an audit
    /// entry, because the work decides for itself whether it changes anything. Two kinds of writers
    /// use it:
    /// <list type="bullet">
    /// <item>telemetry that is not a state change: probe history, rollups, pruning, heartbeat receipts;</item>
    /// <item>engine writers whose work may find nothing to change (a repeated signal, a sweep with
    /// nothing due): the incident writer (intake, checks, incident timers) and escalation. Each state
    /// change they make appends its own audit entry in this same transaction (through
    /// <c>IncidentWriter.RecordAsync</c>, which writes the timeline entry and the audit entry together);
    /// notification delivery attempts are recorded in the delivery ledger instead, which keeps every attempt.</item>
    /// </list>
    /// An operator-initiated change (API, CLI) goes through <see cref="WriteAsync{T}"/>, which enforces the entry.
    /// </summary>
    Task<T> RecordAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Like <see cref="RecordAsync{T}"/>, for work that only takes rows for this node: claims on due notifications
    /// (<see cref="IPagingRepository.ClaimDueNotificationsAsync"/>). On PostgreSQL it runs at <c>READ COMMITTED</c>, where
    /// <c>SELECT … FOR UPDATE SKIP LOCKED</c> hands nodes that claim at the same time disjoint rows, where a serializable
    /// transaction would fail them; so the work must lock every row it changes. On SQLite writes are one at a time anyway.
    /// </summary>
    Task<T> ClaimAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Completes when the next write transaction (of <see cref="WriteAsync{T}"/> or <see cref="RecordAsync{T}"/>)
    /// has committed, whatever it changed. For tests and followers that watch everything: take the task
    /// first, then read, then await it if what was read is not there yet.
    /// </summary>
    Task NextCommitAsync(CancellationToken ct);

    /// <summary>
    /// Completes when the next write transaction that raised any of <paramref name="topics"/>
    /// (<see cref="IStoreSession.Raise"/>) has committed. This is how the loops that wait for new work
    /// (escalation, incident timers) wake at once instead of polling: take the task before reading
    /// what is due, then wait on it together with the next due time.
    /// </summary>
    Task NextCommitAsync(CommitTopics topics, CancellationToken ct);
}
