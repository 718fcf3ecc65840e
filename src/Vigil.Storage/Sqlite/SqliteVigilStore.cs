using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Storage.Ado;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Writes are serialized in-process
/// (SQLite has one writer) and use <c>BEGIN IMMEDIATE</c> so another process waits on the busy
/// timeout instead of failing mid-transaction. <c>synchronous=FULL</c> makes every acknowledged
/// commit survive a crash of the process or the machine.
/// <para>
/// It refuses to be silently wrong about its file: a database that fails <c>PRAGMA quick_check</c> is
/// refused at start, a database missing where a marker file shows one was created is refused rather
/// than recreated empty, once migrated it opens connections without create (so a removed file is
/// never replaced by an empty one), and it checks the file is still there before each commit. SQLite
/// errors that mean "the database cannot be used" (full, read-only, corrupt, I/O) become
/// <see cref="StoreUnavailableException"/>, and a unique-key violation becomes <see cref="StoreConflictException"/>. The file and its <c>-wal</c>/<c>-shm</c> are mode 0600.
/// </para>
/// </summary>
public sealed class SqliteVigilStore : IVigilStore
{
    /// <summary>Suffix of the marker file written beside the database once it exists.</summary>
    public const string MarkerSuffix = "-marker";

    private readonly string _createConnectionString;
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _fileRemoved;
    private readonly CommitSignals _signals = new();
    private readonly SqliteCheckpointer _checkpointer;

    public SqliteVigilStore(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = time;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _createConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        _connectionString = builder.ToString();
        _checkpointer = new SqliteCheckpointer(CheckpointAsync);
    }

    /// <summary>SQLite's own auto-checkpoint threshold in WAL pages: only a backstop behind <see cref="SqliteCheckpointer"/>.</summary>
    public const int BackstopAutoCheckpointPages = 5_000;

    /// <summary>The background WAL checkpoint (internal for tests).</summary>
    internal SqliteCheckpointer Checkpointer => _checkpointer;

    public string Path { get; }

    /// <summary>The marker file that records a store was created at <see cref="Path"/>.</summary>
    public string MarkerPath => Path + MarkerSuffix;

    public string Description => "sqlite:" + Path;

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        if (!File.Exists(Path) && File.Exists(MarkerPath))
        {
            throw new StoreSchemaException(
                $"The database {Path} is missing, but {MarkerPath} shows a store was created there ({FirstLine(MarkerPath)}). " +
                $"Vigil will not start on an empty store in its place. Restore the database from a backup, or delete {MarkerPath} to start with an empty store (a new admin token is then created).");
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            var created = !File.Exists(Path);
            await using var connection = await OpenAsync(_createConnectionString, ct);
            RestrictPermissions();
            if (!created)
            {
                await CheckIntegrityAsync(connection, ct);
            }

            await Db.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", ct);
            await Db.ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", ct);
            var current = Convert.ToInt32(await Db.ScalarAsync(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", ct), CultureInfo.InvariantCulture);
            var known = SqliteMigrations.All.Count == 0 ? 0 : SqliteMigrations.All[^1].Version;
            if (current > known)
            {
                throw new StoreSchemaException(
                    $"The database {Path} has schema version {current}, newer than this Vigil knows ({known}). Upgrade Vigil, or point it at another database.");
            }

            foreach (var m in SqliteMigrations.All.Where(m => m.Version > current))
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                await Db.ExecuteAsync(connection, tx, m.Sql, ct);
                await Db.ExecuteAsync(connection, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)", ct,
                    ("@v", m.Version), ("@n", m.Name), ("@at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
                await tx.CommitAsync(ct);
                current = m.Version;
            }

            RestrictPermissions();
            if (!File.Exists(MarkerPath))
            {
                await File.WriteAllTextAsync(MarkerPath,
                    $"created {_time.GetUtcNow():O}{Environment.NewLine}" +
                    $"Vigil wrote this file when it created the database beside it. While it exists, Vigil refuses to start if that database is missing instead of silently creating an empty one.{Environment.NewLine}", ct);
                RestrictPermissions();
            }

            return current;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<string?> ProbeWriteAsync(CancellationToken ct)
    {
        try
        {
            await InWriteTransactionAsync(async (s, connection, tx, c) =>
            {
                // 64 KiB, more than a typical intake commit: on a disk that is almost full, a tiny probe
                // could still fit where real writes no longer do, and readiness would lie.
                await Db.ExecuteAsync(connection, tx,
                    "INSERT INTO store_probe (id, probed_at, ballast) VALUES (1, @at, zeroblob(65536)) " +
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
        catch (SqliteException ex)
        {
            return $"a probe write failed: {ex.Message.ReplaceLineEndings(" ")}";
        }
    }

    public Task CopyToAsync(string file, CancellationToken ct) =>
        Translated(async () =>
        {
            if (File.Exists(file))
            {
                throw new IOException($"{file} already exists; a copy is never written over a file");
            }

            await using var connection = await OpenAsync(_connectionString, ct);
            await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
            await target.OpenAsync(ct);
            // The online backup API copies every page under one read snapshot; in WAL mode writers go on meanwhile.
            connection.BackupDatabase(target);
            await using var cmd = target.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = DELETE;";
            await cmd.ExecuteNonQueryAsync(ct);
            return 0;
        });

    public Task<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Translated(async () =>
        {
            await using var connection = await OpenAsync(_connectionString, ct);
            // A deferred transaction gives the work one consistent WAL snapshot.
            await using var tx = connection.BeginTransaction(deferred: true);
            await using var session = new AdoSession(connection, tx, writable: false, _time.GetUtcNow(), SqlDialect.Sqlite);
            var result = await work(session, ct);
            await tx.CommitAsync(ct);
            return result;
        });
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

    // One writer at a time: a claim cannot interleave with another, so it is a record like any other.
    public Task<T> ClaimAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => RecordAsync(work, ct);

    private async Task<T> InWriteTransactionAsync<T>(Func<IStoreSession, SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, bool requireAudit, CancellationToken ct,
        Func<T, bool>? rollBack = null, string kind = "write")
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeLock.WaitAsync(ct);
        try
        {
            // Timed from begin to commit, without the wait for the write lock.
            var started = VigilMetrics.CommitLatencyEnabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var result = await Translated(() => CommitAsync(work, requireAudit, rollBack, ct));
            if (started != 0)
            {
                VigilMetrics.Commit(kind, started);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> CommitAsync<T>(Func<IStoreSession, SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, bool requireAudit,
        Func<T, bool>? rollBack, CancellationToken ct)
    {
        await using var connection = await OpenAsync(_connectionString, ct);
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var session = new AdoSession(connection, tx, writable: true, _time.GetUtcNow(), SqlDialect.Sqlite);
        // A write made under a lease's fence (a singleton loop's turn) first proves the lease is still its own, in this transaction.
        await session.CheckFenceAsync(ct);
        var result = await work(session, connection, tx, ct);
        if (rollBack is not null && rollBack(result))
        {
            // An expected refusal: the work's writes are undone and nobody is woken.
            await tx.RollbackAsync(CancellationToken.None);
            return result;
        }

        if (requireAudit && session.AuditEntriesAppended == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new InvalidOperationException("A store write must append an audit entry in the same transaction; this one appended none and was rolled back.");
        }

        // A pooled connection keeps writing to a database file that was deleted under it, and
        // those commits would vanish at the next start: refuse them instead. Once seen, the removal
        // is final until a restart, even if a file reappears at the path (a restore while running):
        // pooled connections would still write into the deleted one.
        if (_fileRemoved || !File.Exists(Path))
        {
            _fileRemoved = true;
            await tx.RollbackAsync(CancellationToken.None);
            SqliteConnection.ClearPool(connection);
            throw new StoreUnavailableException(
                $"the database file {Path} was removed while Vigil was running; nothing more is stored. Restore it from a backup and restart Vigil");
        }

        // Commit is not cancellable: once the work ran, it either commits whole or the
        // exception propagates and the transaction rolls back on dispose.
        await tx.CommitAsync(CancellationToken.None);
        _signals.Committed(session.Raised);
        _checkpointer.Committed();
        return result;
    }

    /// <summary>
    /// A PASSIVE checkpoint on its own connection, outside the write lock: it copies what no reader
    /// still needs and never waits for or blocks a writer. Durability is unchanged: the frames were
    /// already fsynced in the WAL at commit.
    /// </summary>
    private async Task CheckpointAsync(CancellationToken ct)
    {
        if (_fileRemoved || !File.Exists(Path))
        {
            return;
        }

        await using var connection = await OpenAsync(_connectionString, ct);
        // The WAL starts over from its beginning (and stays small) only when a write begins after a
        // checkpoint has copied every frame, but writers keep appending while a passive checkpoint
        // runs. So: a few rounds without the write lock (each copies only what the last let
        // through), then, if still behind, one last round under the write lock, which copies the
        // little that is left; commits wait for that short round only, not for the bulk copy.
        for (var round = 0; round < 4; round++)
        {
            if (await PassiveCheckpointAsync(connection, ct))
            {
                return;
            }
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            await PassiveCheckpointAsync(connection, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>One PASSIVE checkpoint; true when every frame in the WAL is now in the database file.</summary>
    private static async Task<bool> PassiveCheckpointAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        // Columns: busy, frames in the WAL, frames checkpointed (-1, -1 when not in WAL mode).
        return !await reader.ReadAsync(ct) || reader.GetInt64(1) <= reader.GetInt64(2);
    }

    /// <summary>
    /// Turns SQLite's "this database cannot be used" errors into <see cref="StoreUnavailableException"/>;
    /// anything else (a constraint, a bug) propagates as it is.
    /// </summary>
    private async Task<T> Translated<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (SqliteException ex) when (Unavailable(ex) is { } reason)
        {
            throw new StoreUnavailableException(reason, ex);
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey)
        {
            // As on PostgreSQL: the backend's unique-key error becomes Vigil's own, naming the key (table.column), never the row.
            var (open, close) = (ex.Message.IndexOf('\'', StringComparison.Ordinal), ex.Message.LastIndexOf('\''));
            var detail = open >= 0 && close > open ? ex.Message[(open + 1)..close] : ex.Message;
            throw new StoreConflictException($"the change conflicts with a row already stored ({detail}); nothing was stored", ex);
        }
    }

    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>The reason a SQLite error means the store is unusable, or null for ordinary errors.</summary>
    public string? Unavailable(SqliteException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return (ex.SqliteErrorCode & 0xFF) switch
        {
            13 => $"the disk holding {Path} is full (SQLITE_FULL); free space and the store resumes",
            5 or 6 => $"the database {Path} stayed locked by another connection or process past the busy timeout (SQLITE_BUSY); retry, and look for a long transaction (a backup, an sqlite3 shell)",
            7 => "SQLite ran out of memory (SQLITE_NOMEM)",
            8 => $"the database {Path} is read-only (SQLITE_READONLY); make the data folder and database writable",
            3 => $"the database {Path} cannot be accessed (SQLITE_PERM); check its permissions",
            10 => $"reading or writing {Path} failed (SQLITE_IOERR: {ex.Message.ReplaceLineEndings(" ")}); check the disk",
            11 or 26 => $"the database {Path} is corrupt (SQLITE_CORRUPT); stop Vigil and restore it from a backup",
            14 => $"the database {Path} cannot be opened (SQLITE_CANTOPEN); it may have been removed or its folder made unreadable",
            _ => null,
        };
    }

    public Task NextCommitAsync(CancellationToken ct) => _signals.NextAsync(ct);

    public Task NextCommitAsync(CommitTopics topics, CancellationToken ct) => _signals.NextAsync(topics, ct);

    public async ValueTask DisposeAsync()
    {
        // The checkpoint uses a pooled connection: stop it before the pools are cleared.
        await _checkpointer.DisposeAsync();
        _writeLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        SqliteConnection.ClearPool(new SqliteConnection(_createConnectionString));
    }

    private async Task CheckIntegrityAsync(SqliteConnection connection, CancellationToken ct)
    {
        var problems = new List<string>();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA quick_check(5)";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                problems.Add(reader.GetString(0));
            }
        }

        if (problems is ["ok"])
        {
            return;
        }

        throw new StoreSchemaException(
            $"The database {Path} failed its integrity check (PRAGMA quick_check): {string.Join("; ", problems)}. " +
            "Stop here: restore it from a backup, or try `sqlite3 vigil.db .recover` on a copy; Vigil will not run on a corrupt store.");
    }

    /// <summary>Mode 0600 for the database and its companions (SQLite gives new -wal/-shm files the database's mode).</summary>
    private void RestrictPermissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", MarkerPath })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    private static string FirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var line = reader.ReadLine() ?? "";
            return line.Length > 80 ? line[..80] : line;
        }
        catch (IOException)
        {
            return "unreadable";
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var cmd = connection.CreateCommand();
            // wal_autocheckpoint is only a backstop: SqliteCheckpointer copies the WAL off the commit path.
            // journal_size_limit truncates a WAL that grew large (a long reader) once it is reset.
            cmd.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; " +
                "PRAGMA wal_autocheckpoint = " + BackstopAutoCheckpointPages.ToString(CultureInfo.InvariantCulture) + "; PRAGMA journal_size_limit = 67108864;";
            await cmd.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
