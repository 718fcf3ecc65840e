using Vigil.Server.Tests.Incidents;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigil.Server.AuditTrail;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// <c>vigil migrate-store --to postgres://…</c> end to end: a real server writes state to a SQLite file and stops; the CLI
/// copies it into a fresh PostgreSQL database; a server started on PostgreSQL with the same data folder (keys, admin
/// token) has every incident and an audit chain that verifies, and the old store records where the installation went.
/// </summary>
public sealed class MigrateStoreTests
{
    private const string Config = """
        vigil: { name: migrate-source, environment: dev }
        services:
          - { id: web, name: Web }
          - { id: api, name: API }
        audit:
          checkpoint_every: 5
          checkpoint_max_delay: 1m
        """;

    [Fact]
    public async Task MigrateStore_SqliteToPostgres_CopiesEverything_AuditVerifies_AndASecondRunIsRefusedWithoutTouchingTheSource()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var home = new TempDirectory();
        using var second = new TempDirectory();
        try
        {
            await File.WriteAllTextAsync(home.File("vigil.yaml"), Config);
            long[] incidents;
            await using (var server = await TestServer.StartAsync(Config, configure: o => o with { ConfigPath = home.File("vigil.yaml"), DataDirectory = home.File("data") }))
            {
                using var admin = server.Admin();
                await SampleState.WriteAsync(admin, "migrate");
                await server.App.Services.GetRequiredService<AuditCheckpointer>().SweepAsync(CancellationToken.None);
                incidents = (await admin.IncidentsAsync()).Select(i => i.Id).Order().ToArray();
            }

            Assert.NotEmpty(incidents);
            var (url, env) = Url(database);
            var move = await CliRun.RunAsync(["migrate-store", "--to", url, "-c", home.File("vigil.yaml"), "--data", home.File("data")], home.Path, env);

            Assert.True(move.ExitCode == 0, move.ToString());
            Assert.Contains("imported incidents: ", move.Out, StringComparison.Ordinal);
            Assert.Contains("The copy's audit chain verifies", move.Out, StringComparison.Ordinal);
            Assert.Contains($"vigil.store: {url}", move.Out, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(home.File("data"), "migrate-store-*"));
            var sourceAudit = await AuditActionsAsync(home.File("data/vigil.db"));
            Assert.Equal("store.migrate", sourceAudit[^1]);

            // Moving again into the now-full database is refused before anything is exported (no new state.export at the source).
            var again = await CliRun.RunAsync(["migrate-store", "--to", url, "-c", home.File("vigil.yaml"), "--data", home.File("data")], home.Path, env);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("the store is not empty (", again.Error, StringComparison.Ordinal);
            Assert.Equal(sourceAudit, await AuditActionsAsync(home.File("data/vigil.db")));

            TempDirectory.CopyDataFolder(home.File("data"), second.File("data"));
            File.Delete(second.File("data/vigil.db"));
            await using (var moved = await TestServer.StartAsync(Config, dir: second, configure: o => o with
            {
                Environment = name => name == PostgresTarget.UrlVariable ? url : env.GetValueOrDefault(name),
            }))
            {
                using var admin = moved.Admin();
                Assert.Equal(incidents, (await admin.IncidentsAsync()).Select(i => i.Id).Order().ToArray());
                var verify = await moved.CliAsync("audit", "verify");
                Assert.True(verify.ExitCode == 0, verify.ToString());
                Assert.Contains("signed checkpoints verified", verify.Out, StringComparison.Ordinal);
                var tail = await moved.CliAsync("audit", "tail", "-n", "5", "-o", "json");
                Assert.Contains("\"state.import\"", tail.Out, StringComparison.Ordinal);
                Assert.Contains("system:migrate-store", tail.Out, StringComparison.Ordinal);
                Assert.False(File.Exists(second.File("data/vigil.db")), "the server must use PostgreSQL, not a new SQLite file");
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task MigrateStore_BadTargets_AreRefusedWithASentence_AndNothingIsWritten()
    {
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(home.File("vigil.yaml"), Config);
        await using (await TestServer.StartAsync(Config, configure: o => o with { ConfigPath = home.File("vigil.yaml"), DataDirectory = home.File("data") }))
        {
        }

        var before = await AuditActionsAsync(home.File("data/vigil.db"));
        string[] common = ["-c", home.File("vigil.yaml"), "--data", home.File("data")];

        var notAUrl = await CliRun.RunAsync(["migrate-store", "--to", "mysql://db/vigil", .. common], home.Path);
        Assert.Equal(2, notAUrl.ExitCode);
        Assert.Contains("is not a store URL: use postgres://user@host:port/db or sqlite:PATH", notAUrl.Error, StringComparison.Ordinal);

        var itself = await CliRun.RunAsync(["migrate-store", "--to", "sqlite:" + home.File("data/vigil.db"), .. common], home.Path);
        Assert.Equal(1, itself.ExitCode);
        Assert.Contains("is the store Vigil already uses", itself.Error, StringComparison.Ordinal);

        var unreachable = await CliRun.RunAsync(["migrate-store", "--to", "postgres://vigil@127.0.0.1:1/nowhere", .. common], home.Path);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach PostgreSQL at postgres://vigil@127.0.0.1:1/nowhere", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unreachable.ToString(), StringComparison.Ordinal);

        Assert.Equal(before, await AuditActionsAsync(home.File("data/vigil.db")));
    }

    [Fact]
    public async Task MigrateStore_WhileTheServerRuns_IsRefused_ByTheDataFolderLock()
    {
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(home.File("vigil.yaml"), Config);
        await using var server = await TestServer.StartAsync(Config, configure: o => o with { ConfigPath = home.File("vigil.yaml"), DataDirectory = home.File("data") });

        var move = await CliRun.RunAsync(["migrate-store", "--to", "sqlite:" + home.File("copy.db"), "-c", home.File("vigil.yaml"), "--data", home.File("data")], home.Path);

        Assert.Equal(1, move.ExitCode);
        Assert.Contains("vigil.lock", move.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(home.File("copy.db")));
    }

    /// <summary>A postgres:// URL for the test database, and the password variable when the test server needs one.</summary>
    private static (string Url, Dictionary<string, string> Env) Url(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(b.Password))
        {
            env[PostgresTarget.PasswordVariable] = b.Password;
        }

        return ($"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}", env);
    }

    private static async Task<List<string>> AuditActionsAsync(string sqliteFile)
    {
        await using var c = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT action FROM audit_log ORDER BY seq";
        var actions = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actions.Add(reader.GetString(0));
        }

        return actions;
    }
}
