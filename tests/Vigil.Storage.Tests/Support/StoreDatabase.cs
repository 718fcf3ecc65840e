using Microsoft.Data.Sqlite;
using Npgsql;
using Vigil.Core.Storage;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>The backends the store conformance suite runs on.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One test's database on one backend: a SQLite file in a temporary folder, or a fresh PostgreSQL database
/// (<see cref="PostgresServer"/>) dropped afterwards. Opens store instances on it and runs SQL behind Vigil's back.
/// </summary>
public abstract class StoreDatabase : IAsyncDisposable
{
    public abstract Backend Backend { get; }

    /// <summary>Rows a fully migrated database holds in <c>schema_migrations</c>.</summary>
    public abstract int MigrationSteps { get; }

    /// <summary>The Npgsql connection string of a PostgreSQL database; null for SQLite.</summary>
    public virtual string? ConnectionString => null;

    public static async Task<StoreDatabase> CreateAsync(Backend backend) => backend switch
    {
        Backend.Sqlite => new SqliteDatabase(),
        _ => new PostgresDatabase(await PostgresServer.CreateDatabaseAsync()),
    };

    /// <summary>A new, not yet migrated store instance on this database (a restart, or a second node).</summary>
    public abstract IVigilStore NewStore(TimeProvider time);

    /// <summary>Runs SQL on a connection of its own, outside any store (tampering, a newer Vigil's schema).</summary>
    public abstract Task ExecuteAsync(string sql);

    public abstract Task<object?> ScalarAsync(string sql);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteDatabase : StoreDatabase
    {
        private readonly TempDirectory _dir = new();

        public override Backend Backend => Backend.Sqlite;

        public override int MigrationSteps => SqliteMigrations.All.Count;

        private string File => _dir.File("vigil.db");

        public override IVigilStore NewStore(TimeProvider time) => new SqliteVigilStore(File, time);

        public override async Task ExecuteAsync(string sql)
        {
            await using var c = Open();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }

        public override async Task<object?> ScalarAsync(string sql)
        {
            await using var c = Open();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return await cmd.ExecuteScalarAsync();
        }

        public override ValueTask DisposeAsync()
        {
            _dir.Dispose();
            return ValueTask.CompletedTask;
        }

        private SqliteConnection Open()
        {
            var c = new SqliteConnection($"Data Source={File};Pooling=False");
            c.Open();
            return c;
        }
    }

    private sealed class PostgresDatabase(string connectionString) : StoreDatabase
    {
        public override Backend Backend => Backend.Postgres;

        public override int MigrationSteps => PostgresMigrations.All.Count;

        public override string? ConnectionString => connectionString;

        public override IVigilStore NewStore(TimeProvider time) => new PostgresVigilStore(Target(connectionString), time);

        public override async Task ExecuteAsync(string sql)
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        public override async Task<object?> ScalarAsync(string sql)
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            return await cmd.ExecuteScalarAsync();
        }

        public override async ValueTask DisposeAsync() => await PostgresServer.DropDatabaseAsync(connectionString);
    }

    /// <summary>The store target for an Npgsql connection string, through the same path <c>VIGIL_STORAGE_POSTGRES</c> takes.</summary>
    public static PostgresTarget Target(string connectionString)
    {
        var (target, error) = PostgresTarget.Resolve(null, name => name == PostgresTarget.UrlVariable ? connectionString : null);
        return target ?? throw new InvalidOperationException(error);
    }
}
