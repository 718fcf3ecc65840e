using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vigil.Server.Api;
using Vigil.Server.Hosting;
using Vigil.Server.Http;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// <c>vigil serve</c>'s composition root on the PostgreSQL store (a fresh database on the test server, see
/// <see cref="PostgresServer"/>), named by <c>VIGIL_STORAGE_POSTGRES</c> with a password from
/// <c>VIGIL_STORAGE_POSTGRES_PASSWORD</c>: ready, storing incidents from the API and from intake, keeping them
/// and the audit chain across a restart, and never showing the password.
/// </summary>
public sealed class PostgresServeTests
{
    private const string Password = "pw-that-is-never-shown-4711";

    private const string Config = """
        vigil:
          name: pg-node
          environment: dev
          store: sqlite:ignored.db
        services:
          - id: web
            name: Web
        """;

    private static Func<ServerOptions, ServerOptions> OnPostgres(string connectionString) =>
        o => o with
        {
            Environment = name => name switch
            {
                PostgresTarget.UrlVariable => connectionString,
                PostgresTarget.PasswordVariable => Password,
                _ => null,
            },
        };

    [Fact]
    public async Task Serve_OnPostgres_IsReady_StoresIncidentsFromApiAndIntake_AndKeepsThemAcrossARestart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var dir = new TempDirectory();
        var second = new TempDirectory();
        try
        {
            long created;
            long alerted;
            await using (var server = await TestServer.StartAsync(Config, dir: dir, configure: OnPostgres(database)))
            {
                using var anonymous = server.Client();
                var readyz = await anonymous.GetAsync("/readyz");
                var ready = await readyz.Content.ReadAsStringAsync();
                Assert.True(readyz.StatusCode == HttpStatusCode.OK, ready);
                using (var doc = JsonDocument.Parse(ready))
                {
                    var store = doc.RootElement.GetProperty("store");
                    Assert.True(store.GetProperty("ok").GetBoolean());
                    Assert.Equal($"postgres://vigil@127.0.0.1:{new NpgsqlConnectionStringBuilder(database).Port}/{new NpgsqlConnectionStringBuilder(database).Database}",
                        store.GetProperty("description").GetString());
                }

                using var admin = server.Admin();
                var response = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "Checkout is slow", severity = "P2", service = "web" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                created = (await response.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;

                var intake = await admin.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"));
                using (var answer = JsonDocument.Parse(await intake.AssertSuccessAsync("firing webhook")))
                {
                    alerted = Assert.Single(answer.RootElement.GetProperty("incidents").EnumerateArray()).GetInt64();
                }

                var status = await server.CliAsync("status");
                Assert.True(status.ExitCode == 0, status.ToString());
                Assert.Contains("postgres://vigil@127.0.0.1:", status.Out, StringComparison.Ordinal);
                Assert.DoesNotContain(Password, status.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(Password, ready, StringComparison.Ordinal);

                // Nothing went to SQLite: the config's store is overridden by the variable.
                Assert.False(File.Exists(dir.File("ignored.db")));
                // The restart below gets this data folder (admin token, signing keys) in a folder of its own.
                TempDirectory.CopyDataFolder(server.DataDirectory, second.File("data"));
            }

            await using (var again = await TestServer.StartAsync(Config, dir: second, configure: OnPostgres(database)))
            {
                using var admin = again.Admin();
                var incidents = await admin.IncidentsAsync();
                Assert.Equal(new[] { created, alerted }.Order(), incidents.Select(i => i.Id).Order());
                Assert.Equal("Checkout is slow", incidents.Single(i => i.Id == created).Title);
                Assert.Equal("Web error rate above 5%", incidents.Single(i => i.Id == alerted).Title);

                var verify = await again.CliAsync("audit", "verify");
                Assert.True(verify.ExitCode == 0, verify.ToString());
            }
        }
        finally
        {
            dir.Dispose();
            second.Dispose();
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Serve_OnPostgresWithANewerSchema_RefusesToStart_NamingBothVersions()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var dir = new TempDirectory();
        try
        {
            await using (var store = new PostgresVigilStore(PostgresTarget.Resolve(null, n => n == PostgresTarget.UrlVariable ? database : null).Target!, TimeProvider.System))
            {
                await store.MigrateAsync(CancellationToken.None);
            }

            await using (var c = new NpgsqlConnection(database))
            {
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)", c);
                await cmd.ExecuteNonQueryAsync();
            }

            await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);
            var options = OnPostgres(database)(new ServerOptions { ConfigPath = dir.File("vigil.yaml"), DataDirectory = dir.File("data"), Listen = "http://127.0.0.1:0" });
            var prepared = await VigilServer.PrepareAsync(options, CancellationToken.None);

            Assert.Null(prepared.App);
            var error = Assert.Single(prepared.Errors);
            Assert.Contains("schema version 999, newer than this Vigil knows (", error, StringComparison.Ordinal);
            Assert.Contains("postgres://vigil@127.0.0.1:", error, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
