using System.Data;
using System.Globalization;
using Npgsql;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Storage.Ado;

namespace Vigil.Storage.Postgres;

/// <summary>
/// The PostgreSQL store: the same repositories as SQLite (<see cref="AdoSession"/>) over Npgsql, with its
/// own migrations (<see cref="PostgresMigrations"/>).
/// <para>
/// Transactions: a read is one <c>REPEATABLE READ READ ONLY</c> snapshot. A write is <c>SERIALIZABLE</c>,
/// and this process's writes are also serialized in-process, as on SQLite: the node's own writers never
/// conflict with each other, and PostgreSQL detects conflicts with any other writer of the database.
/// </para>
/// <para>
/// Errors become Vigil's own (see <see cref="Classify"/>): a serialization failure or deadlock means the
/// server rolled the whole transaction back, so the work runs again from the start (up to
/// <see cref="MaxAttempts"/> times), then <see cref="StoreConflictException"/>. Every node appends to the one audit chain, so
/// a run that lost the race for its next seq runs again holding the chain (<c>LOCK TABLE audit_log</c> before its snapshot):
/// a long transaction (an escalation pass) is not starved by other nodes' stream of short ones. A unique violation is a
/// <see cref="StoreConflictException"/> after one more run (a second run sees a racing writer's row; a real
/// duplicate collides again); a lost or
/// refused connection, a full disk or a read-only server is a <see cref="StoreUnavailableException"/>. A
/// connection lost before COMMIT was sent is retried once (nothing was stored); lost during COMMIT it is
/// not, and the message says the change may or may not have been stored. The password never appears in
/// a message: <see cref="Description"/> has none, and texts from the server are redacted.
/// </para>
/// <para>
/// Migrations run under a session advisory lock (<see cref="MigrationLockKey"/>), so nodes that start
/// together migrate once: the others wait, then find the schema current. A database whose schema is newer
/// than this build is refused with <see cref="StoreSchemaException"/>.
/// </para>
/// </summary>
public sealed class PostgresVigilStore : IVigilStore
{
    /// <summary>The advisory lock key migrations hold: "VigilMig" in ASCII.</summary>
    public const long MigrationLockKey = 0x5669_6769_6C4D_6967;

    /// <summary>Attempts of one transaction after serialization failures or deadlocks, the first included.</summary>
    public const int MaxAttempts = 4;

    /// <summary>SQLSTATE 25P03, idle_in_transaction_session_timeout (Npgsql names no constant for it).</summary>
    private const string IdleInTransactionSessionTimeout = "25P03";

    /// <summary>The primary key of the audit chain (its seq): a collision on it is two writers sealing onto the same head.</summary>
    private const string AuditSeqKey = "audit_log_pkey";

    private readonly PostgresTarget _target;
    private readonly string? _password;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CommitSignals _signals = new();

    /// <summary>This store object among all that share the database: a commit's NOTIFY carries it, so the listener skips its own.</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N")[..16];
    private readonly CancellationTokenSource _stop = new();
    private Task? _listener;
    private int _listening;
    private long _listenerConnects;

    /// <summary>
    /// How long the server lets one of this store's sessions sit idle inside a write transaction before it ends the session
    /// (<c>idle_in_transaction_session_timeout</c>; reads set it off for themselves). Vigil never waits on anything outside the
    /// database in a write transaction, so one idle that long belongs to a node that stopped (paused, frozen, cut off) between
    /// its statements and its COMMIT. Until the server ends it, its row locks hold up every other node that writes the same
    /// rows: the next audit seq (every node appends to the one chain), a lease, an incident. Ending it rolls it back, and the
    /// stalled node's work runs again (or fails) when it resumes. An <c>options=-c idle_in_transaction_session_timeout=…</c> in
    /// the connection string wins.
    /// </summary>
    public static readonly TimeSpan StalledTransactionTimeout = TimeSpan.FromSeconds(5);

    public PostgresVigilStore(PostgresTarget target, TimeProvider time, TimeSpan? stalledTransactionTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _time = time;
        var connection = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        _password = connection.Password;
        if (connection.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            var ms = (long)(stalledTransactionTimeout ?? StalledTransactionTimeout).TotalMilliseconds;
            connection.Options = $"{connection.Options} -c idle_in_transaction_session_timeout={ms.ToString(CultureInfo.InvariantCulture)}".TrimStart();
        }

        _source = NpgsqlDataSource.Create(connection.ConnectionString);
    }

    public string Description => _target.Description;

    /// <summary>Transactions run again after a serialization failure or deadlock, since start (for tests and metrics).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    private long _retries;

    /// <summary>Set once the server refused <c>LOCK TABLE audit_log</c> (no UPDATE, DELETE or TRUNCATE privilege on it): retries run unlocked.</summary>
    private bool _chainLockRefused;

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await _source.OpenConnectionAsync(ct);
            // Held by this session until unlocked or disconnected: a second node blocks here until the first is done.
            await Db.ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@k)", ct, ("@k", MigrationLockKey));
            try
            {
                return await MigrateLockedAsync(connection, ct);
            }
            finally
            {
                if (connection.State == ConnectionState.Open)
                {
                    await Db.ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@k)", CancellationToken.None, ("@k", MigrationLockKey));
                }
            }
        }
        catch (Exception ex) when (ex is NpgsqlException && Classify(ex, committing: false) is { Unavailable: { } reason })
        {
            throw new StoreUnavailableException(reason, ex);
        }
        catch (PostgresException ex)
        {
            throw new StoreSchemaException(
                $"Migrating the PostgreSQL store {Description} failed: {Safe(ex.MessageText)} (SQLSTATE {ex.SqlState}). " +
                "Check that the Vigil user may create tables in the database, then start again; a failed step is rolled back whole.");
        }
    }

    private async Task<int> MigrateLockedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await Db.ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", ct);
        var current = Convert.ToInt32(await Db.ScalarAsync(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", ct), CultureInfo.InvariantCulture);
        var known = PostgresMigrations.All[^1].Version;
        if (current > known)
        {
            throw new StoreSchemaException(
                $"The database {Description} has schema version {current}, newer than this Vigil knows ({known}). Upgrade Vigil, or point it at another database.");
        }

        if (current is > 0 and < PostgresMigrations.BaselineVersion)
        {
            throw new StoreSchemaException(
                $"The database {Description} has schema version {current}, below the PostgreSQL baseline ({PostgresMigrations.BaselineVersion}); no Vigil release writes such a schema. Point Vigil at an empty database.");
        }

        foreach (var m in PostgresMigrations.All.Where(m => m.Version > current))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await Db.ExecuteAsync(connection, tx, m.Sql, ct);
            await Db.ExecuteAsync(connection, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)", ct,
                ("@v", (long)m.Version), ("@n", m.Name), ("@at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            await tx.CommitAsync(ct);
            current = m.Version;
        }

        return current;
    }

    public async Task<string?> ProbeWriteAsync(CancellationToken ct)
    {
        try
        {
            await InWriteTransactionAsync(async (s, connection, tx, c) =>
            {
                // No ballast, unlike SQLite: PostgreSQL compresses a block of zeros to almost nothing, and a
                // full disk already fails the WAL write of any commit, this one included.
                await Db.ExecuteAsync(connection, tx,
                    "INSERT INTO store_probe (id, probed_at, ballast) VALUES (1, @at, NULL) " +
                    "ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, ballast = excluded.ballast", c,
                    ("@at", s.Now.ToUnixTimeMilliseconds()));
                return 0;
            }, requireAudit: false, ct);
            return null;
        }
        catch (StoreUnavailableException ex)
        {
            return ex.Reason;
        }
        catch (StoreConflictException ex)
        {
            return ex.Reason;
        }
        catch (PostgresException ex)
        {
            return $"a probe write failed: {Safe(ex.MessageText)} (SQLSTATE {ex.SqlState})";
        }
    }

    public Task CopyToAsync(string file, CancellationToken ct) =>
        Task.FromException(new StoreUnavailableException(
            $"Vigil cannot copy a PostgreSQL store ({Description}) into a backup file yet; back the database up with pg_dump " +
            "(a backup job with a command source) or your provider's backups"));

    public async Task<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                // A read holds no row locks, and may wait on its consumer (an export streamed to a slow client): the server
                // never ends it for idling (see StalledTransactionTimeout, which is for writes).
                await Db.ExecuteAsync(connection, tx, "SET TRANSACTION READ ONLY; SET LOCAL idle_in_transaction_session_timeout = 0", ct);
                await using var session = new AdoSession(connection, tx, writable: false, _time.GetUtcNow(), SqlDialect.Postgres);
                var result = await work(session, ct);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (ex is NpgsqlException && !ct.IsCancellationRequested)
            {
                // A read changes nothing: running it again is always safe.
                var failure = Classify(ex, committing: false);
                if (attempt < failure.Attempts)
                {
                    Interlocked.Increment(ref _retries);
                    continue;
                }

                if (failure.Bug)
                {
                    throw;
                }

                throw failure.ToException(ex);
            }
        }
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InWriteTransactionAsync((s, _, _, c) => work(s, c), requireAudit: true, ct, kind: "write");
    }

    public Task<Outcome<T>> TryWriteAsync<T>(Func<IStoreSession, CancellationToken, Task<Outcome<T>>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InWriteTransactionAsync((s, _, _, c) => work(s, c), requireAudit: true, ct, rollBack: o => o.IsRefused, kind: "write");
    }

    public Task<T> RecordAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InWriteTransactionAsync((s, _, _, c) => work(s, c), requireAudit: false, ct, kind: "record");
    }

    public Task<T> ClaimAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InWriteTransactionAsync((s, _, _, c) => work(s, c), requireAudit: false, ct, kind: "claim", isolation: IsolationLevel.ReadCommitted);
    }

    private async Task<T> InWriteTransactionAsync<T>(Func<IStoreSession, NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, bool requireAudit,
        CancellationToken ct, Func<T, bool>? rollBack = null, string kind = "write", IsolationLevel isolation = IsolationLevel.Serializable)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var started = VigilMetrics.CommitLatencyEnabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var lockChain = false;
            for (var attempt = 1; ; attempt++)
            {
                var run = new Attempt(lockChain);
                try
                {
                    var result = await CommitAsync(work, requireAudit, rollBack, run, isolation, ct);
                    if (started != 0)
                    {
                        VigilMetrics.Commit(kind, started);
                    }

                    return result;
                }
                catch (Exception ex) when (ex is NpgsqlException && !(ct.IsCancellationRequested && !run.Committing))
                {
                    if (run.LockChain && ex is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } && !run.Locked)
                    {
                        // The Vigil user may not lock audit_log (it was made insert-only): retry as before, without the lock.
                        _chainLockRefused = true;
                        lockChain = false;
                        attempt--;
                        continue;
                    }

                    var failure = Classify(ex, run.Committing);
                    if (attempt < failure.Attempts)
                    {
                        Interlocked.Increment(ref _retries);
                        // A run that lost the race for the audit chain's next seq (or conflicted after appending to it) runs again
                        // holding the chain, so a long transaction is not starved by a stream of short ones on other nodes.
                        lockChain |= failure.Retryable && (failure.Chain || run.Appended) && !_chainLockRefused;
                        continue;
                    }

                    if (failure.Bug)
                    {
                        throw;
                    }

                    throw failure.ToException(ex);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> CommitAsync<T>(Func<IStoreSession, NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, bool requireAudit,
        Func<T, bool>? rollBack, Attempt run, IsolationLevel isolation, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(isolation, ct);
        if (run.LockChain)
        {
            // The first statement, so the transaction's snapshot is taken once the lock is held: no other node can append to the
            // chain until this one commits (an INSERT takes ROW EXCLUSIVE, which this mode excludes), so its head stays current.
            await Db.ExecuteAsync(connection, tx, "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE", ct);
            run.Locked = true;
        }

        await using var session = new AdoSession(connection, tx, writable: true, _time.GetUtcNow(), SqlDialect.Postgres);
        // A write made under a lease's fence (a singleton loop's turn) first proves the lease is still its own, in this transaction.
        await session.CheckFenceAsync(ct);
        T result;
        try
        {
            result = await work(session, connection, tx, ct);
        }
        finally
        {
            run.Appended = session.AuditEntriesAppended > 0;
        }

        if (rollBack is not null && rollBack(result))
        {
            await tx.RollbackAsync(CancellationToken.None);
            return result;
        }

        if (requireAudit && session.AuditEntriesAppended == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new InvalidOperationException("A store write must append an audit entry in the same transaction; this one appended none and was rolled back.");
        }

        if (session.Raised != CommitTopics.None)
        {
            // Delivered to every listening node when (and only if) this transaction commits; see ListenAsync.
            await Db.ExecuteAsync(connection, tx, "SELECT pg_notify(@c, @p)", ct, ("@c", NotifyChannel),
                ("@p", _instance + ":" + ((int)session.Raised).ToString(CultureInfo.InvariantCulture)));
        }

        run.Committing = true;
        await tx.CommitAsync(CancellationToken.None);
        _signals.Committed(session.Raised);
        return result;
    }

    /// <summary>What a failure of Npgsql or the server means for Vigil, and whether running the transaction again is safe.</summary>
    private Failure Classify(Exception ex, bool committing)
    {
        var where = Description;
        if (ex is PostgresException pg)
        {
            var state = pg.SqlState;
            switch (state)
            {
                case PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected:
                    // The server rolled the whole transaction back, at COMMIT too: nothing was stored.
                    return new Failure(MaxAttempts, Retryable: true, Conflict:
                        $"another writer changed the same data at the same time ({(state == PostgresErrorCodes.DeadlockDetected ? "a deadlock" : "a serialization failure")}, " +
                        $"SQLSTATE {state}) {MaxAttempts} times in a row; nothing was stored, send it again");
                case PostgresErrorCodes.UniqueViolation:
                    // Under SERIALIZABLE a key taken by a concurrent writer can surface as this, not as a
                    // serialization failure (the next audit seq, say). Nothing was stored, and a second run sees
                    // the other row in its snapshot, so one more run resolves a race; a real duplicate collides again.
                    // The audit chain's next seq is such a race and nothing else: every node of a cluster appends to the one chain, and
                    // under load two runs in a row can lose it (seen with three nodes taking intake), so it is retried as often as a
                    // serialization failure.
                    var chain = pg.ConstraintName == AuditSeqKey;
                    return new Failure(chain ? MaxAttempts : 2, Retryable: chain, Chain: chain,
                        Conflict: $"the change conflicts with a row already stored (unique key {pg.ConstraintName ?? "?"}); nothing was stored");
                case PostgresErrorCodes.DiskFull:
                    return new Failure(Unavailable: $"the disk of the PostgreSQL server {where} is full (SQLSTATE {state}); free space and the store resumes");
                case PostgresErrorCodes.OutOfMemory:
                    return new Failure(Unavailable: $"the PostgreSQL server {where} is out of memory (SQLSTATE {state})");
                case PostgresErrorCodes.TooManyConnections:
                    return new Failure(committing ? 1 : 2, Unavailable: $"the PostgreSQL server {where} refuses more connections (SQLSTATE {state}); raise max_connections or lower the nodes' pool size");
                case PostgresErrorCodes.ReadOnlySqlTransaction:
                    return new Failure(Unavailable: $"the PostgreSQL server {where} accepts no writes (SQLSTATE {state}): it is a standby or read-only; point Vigil at the primary");
                case PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification:
                    return new Failure(Unavailable: $"PostgreSQL {where} refused the login (SQLSTATE {state}): {Safe(pg.MessageText)}; check the user and {PostgresTarget.PasswordVariable} or {PostgresTarget.PasswordFileVariable}");
                case PostgresErrorCodes.InvalidCatalogName:
                    return new Failure(Unavailable: $"the database of {where} does not exist (SQLSTATE {state}); create it (CREATE DATABASE) and start Vigil again");
                case IdleInTransactionSessionTimeout:
                    // The server ended the session while it sat idle in the transaction (see StalledTransactionTimeout), so before
                    // it read any COMMIT: the transaction was rolled back, at COMMIT too, and running it again is safe.
                    return Lost(committing: false, $"PostgreSQL {where} ended this node's transaction after it sat idle for longer than idle_in_transaction_session_timeout (SQLSTATE {state}); the node was paused or stalled");
                case PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow:
                    return Lost(committing, $"the PostgreSQL server {where} is shutting down or starting up (SQLSTATE {state})");
            }

            return state.StartsWith("08", StringComparison.Ordinal)
                ? Lost(committing, $"the connection to PostgreSQL {where} failed (SQLSTATE {state}: {Safe(pg.MessageText)})")
                : new Failure(Bug: true);
        }

        // Not from the server: the connection could not be opened, or broke (a socket error, a timeout, the pool exhausted).
        var detail = Safe((ex.InnerException ?? ex).Message.ReplaceLineEndings(" "));
        return Lost(committing, $"cannot reach PostgreSQL at {where} ({detail})");

        static Failure Lost(bool committing, string what) => committing
            ? new Failure(Unavailable: $"{what} while committing; the change may or may not have been stored")
            : new Failure(2, Unavailable: $"{what}; nothing was stored, retry when it is back");
    }

    private string Safe(string text) => PostgresTarget.Redact(text, _password);

    /// <summary>
    /// One run of a write transaction: whether it runs holding the audit chain (<see cref="LockChain"/>) and got the lock,
    /// whether it appended to the chain, and whether COMMIT was sent (after which a lost connection may have stored it).
    /// </summary>
    private sealed class Attempt(bool lockChain)
    {
        public bool LockChain { get; } = lockChain;

        public bool Locked { get; set; }

        public bool Appended { get; set; }

        public bool Committing { get; set; }
    }

    /// <summary>
    /// A classified failure: <see cref="Attempts"/> is how many runs of the transaction it allows in all (1: no retry);
    /// <see cref="Conflict"/> or <see cref="Unavailable"/> is the sentence of the Vigil exception; <see cref="Bug"/> lets the original through.
    /// </summary>
    private readonly record struct Failure(int Attempts = 1, string? Conflict = null, string? Unavailable = null, bool Bug = false, bool Retryable = false, bool Chain = false)
    {
        public Exception ToException(Exception original) => Conflict is { } c
            ? new StoreConflictException(c, original, Retryable)
            : new StoreUnavailableException(Unavailable ?? "the PostgreSQL store failed", original);
    }

    /// <summary>The channel commits that raised <see cref="CommitTopics"/> are announced on: <c>instance:topics</c>.</summary>
    public const string NotifyChannel = "vigil_commit";

    private static readonly CommitTopics AllTopics = Enum.GetValues<CommitTopics>().Aggregate(CommitTopics.None, (all, t) => all | t);

    /// <summary>How many times the listener connected (and LISTENed) since start: 1 while it never lost its connection.</summary>
    public long ListenerConnects => Interlocked.Read(ref _listenerConnects);

    public Task NextCommitAsync(CancellationToken ct)
    {
        EnsureListening();
        return _signals.NextAsync(ct);
    }

    public Task NextCommitAsync(CommitTopics topics, CancellationToken ct)
    {
        EnsureListening();
        return _signals.NextAsync(topics, ct);
    }

    /// <summary>
    /// Other nodes' commits wake this node's waiters too (escalation, timers, the status page, live console updates):
    /// the first wait starts one listener on a connection of its own, <c>LISTEN vigil_commit</c>, which turns each
    /// NOTIFY from another store object into the same wake-up a local commit gives. Tools that never wait (import,
    /// migrate-store) never listen. A lost connection is opened again with backoff (1 s doubling to 10 s); since
    /// commits made meanwhile were not heard, every waiter is woken once it listens again, and looks for itself. The
    /// first connect wakes nobody, so a wait still completes only after a commit (the loops look once at start anyway).
    /// </summary>
    private void EnsureListening()
    {
        if (Interlocked.CompareExchange(ref _listening, 1, 0) == 0)
        {
            _listener = Task.Run(() => ListenAsync(_stop.Token));
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(ct);
                connection.Notification += OnNotification;
                await Db.ExecuteAsync(connection, null, "LISTEN " + NotifyChannel, ct);
                if (Interlocked.Increment(ref _listenerConnects) > 1)
                {
                    // Commits while the connection was down were not heard: wake every waiter to look for itself.
                    _signals.Committed(AllTopics);
                }

                delay = TimeSpan.FromSeconds(1);
                while (true)
                {
                    // Waits of a bounded length, and no token: cancelling Npgsql's wait can deadlock (npgsql/npgsql#5975; a
                    // store's DisposeAsync hung on it in CI), so a stop is seen within one ListenPoll instead.
                    ct.ThrowIfCancellationRequested();
                    await connection.WaitAsync(ListenPoll);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The server went away or restarted; /readyz reports that through the probe write. Listen again when it is back.
            }

            try
            {
                await Task.Delay(delay, _time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    /// <summary>The longest one wait of the listener for a notification before it looks whether the store is stopping.</summary>
    private static readonly TimeSpan ListenPoll = TimeSpan.FromSeconds(1);

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var colon = e.Payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && e.Payload.AsSpan(0, colon).SequenceEqual(_instance))
        {
            return;
        }

        _signals.Committed(colon > 0 && int.TryParse(e.Payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var topics)
            ? (CommitTopics)topics & AllTopics
            : AllTopics);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener is not null)
        {
            await _listener;
        }

        await _source.DisposeAsync();
        _writeLock.Dispose();
        _stop.Dispose();
    }
}
