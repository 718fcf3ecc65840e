using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.AuditTrail;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Upgrades;

/// <summary>
/// Upgrades are tested against a database a released schema wrote. <c>Upgrades/Fixtures/schema-N</c> holds a
/// data folder (store, signing keys, admin token) made by <see cref="WriteFixture"/> through the API,
/// and <c>expected.json</c>, the row count of every table and the audit chain's head when it was made.
/// Every later migration must open it, keep every row and keep the audit chain and its signed
/// checkpoints verifiable. A fixture is written once per schema and then never regenerated: run with
/// VIGIL_WRITE_UPGRADE_FIXTURE=N to add one for schema N (the current schema).
/// </summary>
public sealed class UpgradeFixtureTests
{
    private const string Config = """
        vigil: { name: upgrade-fixture, environment: dev }
        services:
          - { id: web, name: Web }
          - { id: api, name: API }
        audit:
          checkpoint_every: 5
          checkpoint_max_delay: 1m
        """;

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(FixturesRoot(), "schema-*").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task OlderStore_Migrates_KeepsEveryRow_AndItsAuditChainVerifies(string fixture)
    {
        var source = Path.Combine(FixturesRoot(), fixture);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(source, "expected.json")))!;
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(source, "data")))
        {
            var copy = dir.File(Path.Combine("data", Path.GetFileName(file)));
            File.Copy(file, copy);
            // Git keeps no file modes but the executable bit; Vigil refuses secret files others may read.
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var server = await TestServer.StartAsync(Config, dir: dir);
        var verify = await server.CliAsync("audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using var admin = server.Admin();
        var incidents = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        var items = incidents.ValueKind == JsonValueKind.Array ? incidents : incidents.GetProperty("items");
        Assert.Equal(expected["incidents"]!.GetValue<int>(), items.GetArrayLength());

        await using var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "vigil.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        var after = await TableCountsAsync(db);
        foreach (var (table, count) in expected["tables"]!.AsObject())
        {
            Assert.True(after.TryGetValue(table, out var now), $"table {table} of {fixture} is gone after the upgrade");
            // Starting the server writes its own rows (audit entries, checkpoints): nothing may be lost.
            Assert.True(now >= count!.GetValue<long>(), $"table {table} of {fixture} had {count} rows, {now} after the upgrade");
        }

        var head = expected["audit_head"]!;
        Assert.Equal(head["hash"]!.GetValue<string>(), await ScalarAsync(db, $"SELECT hash FROM audit_log WHERE seq = {head["seq"]!.GetValue<long>()}"));
        Assert.True((long)(await ScalarAsync(db, "SELECT MAX(version) FROM schema_migrations"))! >= expected["schema"]!.GetValue<long>());
    }

    /// <summary>Writes the fixture for the current schema when VIGIL_WRITE_UPGRADE_FIXTURE names it; otherwise checks the newest fixture exists.</summary>
    [Fact]
    public async Task WriteFixture()
    {
        if (Environment.GetEnvironmentVariable("VIGIL_WRITE_UPGRADE_FIXTURE") is not { Length: > 0 } schema)
        {
            // Each fixture is complete (a fixture whose data folder was not committed would test nothing).
            Assert.NotEmpty(Fixtures());
            foreach (var fixture in Fixtures())
            {
                foreach (var file in new[] { "vigil.db", "keys.json", "admin.token", "expected.json" })
                {
                    var path = file == "expected.json" ? Path.Combine(FixturesRoot(), fixture, file) : Path.Combine(FixturesRoot(), fixture, "data", file);
                    Assert.True(File.Exists(path), $"the upgrade fixture file {path} is missing");
                }
            }

            return;
        }

        var target = Path.Combine(RepoFixturesRoot(), "schema-" + schema);
        Assert.False(Directory.Exists(target), $"{target} exists: a fixture is never regenerated");
        var dir = new TempDirectory();
        long incidents;
        await using (var server = await TestServer.StartAsync(Config, dir: dir))
        {
            using var admin = server.Admin();
            await server.CreateTokenAsync("ci-intake", "intake");
            var id = await SampleState.WriteAsync(admin, "fixture");
            (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { reason = "fixed" })).EnsureSuccessStatusCode();
            await server.App.Services.GetRequiredService<AuditCheckpointer>().SweepAsync(CancellationToken.None);
            var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
            incidents = (list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items")).GetArrayLength();

            // A consistent copy of the live store (WAL included), then the files the store's rows need.
            Directory.CreateDirectory(Path.Combine(target, "data"));
            await using (var live = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "vigil.db")};Pooling=False"))
            {
                await live.OpenAsync();
                await using var vacuum = live.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $target";
                vacuum.Parameters.AddWithValue("$target", Path.Combine(target, "data", "vigil.db"));
                await vacuum.ExecuteNonQueryAsync();
            }

            foreach (var file in new[] { "keys.json", "admin.token", "heartbeat.key", "vigil.db-marker" })
            {
                File.Copy(Path.Combine(server.DataDirectory, file), Path.Combine(target, "data", file));
            }
        }

        await using var db = new SqliteConnection($"Data Source={Path.Combine(target, "data", "vigil.db")};Pooling=False");
        await db.OpenAsync();
        var tables = new JsonObject();
        foreach (var (table, count) in await TableCountsAsync(db))
        {
            tables[table] = count;
        }

        var expected = new JsonObject
        {
            ["schema"] = long.Parse(schema, CultureInfo.InvariantCulture),
            ["incidents"] = incidents,
            ["tables"] = tables,
            ["audit_head"] = new JsonObject
            {
                ["seq"] = (long)(await ScalarAsync(db, "SELECT MAX(seq) FROM audit_log"))!,
                ["hash"] = (string)(await ScalarAsync(db, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1"))!,
            },
        };
        Assert.Equal(long.Parse(schema, CultureInfo.InvariantCulture), (long)(await ScalarAsync(db, "SELECT MAX(version) FROM schema_migrations"))!);
        await File.WriteAllTextAsync(Path.Combine(target, "expected.json"), expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static async Task<Dictionary<string, long>> TableCountsAsync(SqliteConnection db)
    {
        var names = new List<string>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            counts[name] = (long)(await ScalarAsync(db, $"SELECT COUNT(*) FROM \"{name}\""))!;
        }

        return counts;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    private static string FixturesRoot() => Path.Combine(AppContext.BaseDirectory, "Upgrades", "Fixtures");

    private static string RepoFixturesRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "Vigil.Server.Tests", "Upgrades", "Fixtures");
            }
        }

        throw new InvalidOperationException("Vigil.sln not found above " + AppContext.BaseDirectory);
    }
}
