using Npgsql;

namespace Vigil.Storage.Tests;

/// <summary>
/// The PostgreSQL server the tests use, one per test process, and a fresh database per test on it.
/// <list type="bullet">
/// <item><c>VIGIL_TEST_POSTGRES</c> set: that server (an Npgsql connection string, or a postgres:// URL, of a
/// user that may create databases). <c>.ci/run</c> starts a throwaway cluster and sets it.</item>
/// <item>Otherwise, when <c>initdb</c> and <c>pg_ctl</c> are found (on PATH or in /usr/lib/postgresql/*/bin) and the
/// tests do not run as root (or as root, with a postgres user to run it as): a throwaway cluster (<see cref="PostgresCluster"/>) in a temporary folder on a free loopback port, stopped and
/// removed when the test process exits.</item>
/// <item>Otherwise every test that needs PostgreSQL fails (never skips) with <see cref="HowToProvide"/>.</item>
/// </list>
/// Shared with Vigil.Server.Tests (linked there).
/// </summary>
public static class PostgresServer
{
    /// <summary>The variable naming a server the tests may create databases on.</summary>
    public const string Variable = "VIGIL_TEST_POSTGRES";

    public const string HowToProvide =
        "PostgreSQL is needed for the storage conformance tests (every store test runs on SQLite and on PostgreSQL). Either " +
        "set VIGIL_TEST_POSTGRES to a connection string of a server where the tests may create databases, like " +
        "'Host=127.0.0.1;Port=5432;Username=postgres;Password=…', or install PostgreSQL (apt-get install postgresql), so the tests start a throwaway server of their own (as root, it runs as " +
        "the 'postgres' user the package creates). See docs/development.md.";

    private static readonly Lazy<Task<string>> Admin = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to the server's <c>postgres</c> database, as a user that may create databases.</summary>
    public static Task<string> AdminConnectionStringAsync() => Admin.Value;

    /// <summary>Creates an empty database with a random name; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminConnectionStringAsync();
        var name = "vigil_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing whatever connections are left on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            var admin = given.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && given.Contains("://", StringComparison.Ordinal)
                ? FromUrl(given)
                : new NpgsqlConnectionStringBuilder(given) { Database = new NpgsqlConnectionStringBuilder(given).Database ?? "postgres" }.ConnectionString;
            await CheckReachableAsync(admin, $"{Variable} is set, but its server");
            return admin;
        }

        var cluster = await PostgresCluster.StartAsync();
        await CheckReachableAsync(cluster.ConnectionString, "The throwaway PostgreSQL server");
        return cluster.ConnectionString;
    }

    private static string FromUrl(string url)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':', 2);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Username = user[0].Length == 0 ? null : Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        return b.ConnectionString;
    }

    private static async Task CheckReachableAsync(string connectionString, string what)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{what} cannot be reached: {ex.Message}. " + HowToProvide, ex);
        }
    }
}
