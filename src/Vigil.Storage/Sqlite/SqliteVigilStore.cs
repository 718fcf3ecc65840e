using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Core.Storage;
using Vigil.Storage.Ado;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Writes are serialized in-process
/// (SQLite has one writer) and use <c>BEGIN IMMEDIATE</c> so another process waits on the busy
/// timeout instead of failing mid-transaction. <c>synchronous=FULL</c> makes every acknowledged
/// commit survive a crash of the process or the machine.
/// </summary>
public sealed class SqliteVigilStore : IVigilStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteVigilStore(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string Description => "sqlite:" + Path;

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
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

            return current;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return Convert.ToInt64(await Db.ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_migrations", ct), CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public async Task<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(ct);
        // A deferred transaction gives the work one consistent WAL snapshot.
        await using var tx = connection.BeginTransaction(deferred: true);
        await using var session = new AdoSession(connection, tx, writable: false, _time.GetUtcNow());
        var result = await work(session, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) =>
        InWriteTransactionAsync(work, requireAudit: true, ct);

    public Task<T> RecordAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) =>
        InWriteTransactionAsync(work, requireAudit: false, ct);

    private async Task<T> InWriteTransactionAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, bool requireAudit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = connection.BeginTransaction(deferred: false);
            await using var session = new AdoSession(connection, tx, writable: true, _time.GetUtcNow());
            var result = await work(session, ct);
            if (requireAudit && session.AuditEntriesAppended == 0)
            {
                await tx.RollbackAsync(CancellationToken.None);
                throw new InvalidOperationException("A store write must append an audit entry in the same transaction; this one appended none and was rolled back.");
            }

            // Commit is not cancellable: once the work ran, it either commits whole or the
            // exception propagates and the transaction rolls back on dispose.
            await tx.CommitAsync(CancellationToken.None);
            Interlocked.Exchange(ref _committed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task NextCommitAsync(CancellationToken ct) => Volatile.Read(ref _committed).Task.WaitAsync(ct);

    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
        await cmd.ExecuteNonQueryAsync(ct);
        return connection;
    }
}
