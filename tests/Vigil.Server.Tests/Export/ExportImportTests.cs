using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Cli;
using Vigil.Core.Export;
using Vigil.Core.Signing;
using Vigil.Server.AuditTrail;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Export;

/// <summary>
/// One real server with state (incidents, signals, notes, a silence, a window, a freeze, a journal entry, tokens and a signed
/// audit trail), exported once through the CLI with its public keys; the tests import copies of that file into fresh data folders.
/// </summary>
public sealed class ExportSource : IAsyncLifetime
{
    public const string Config = """
        vigil: { name: export-source, environment: dev }
        services:
          - { id: web, name: Web }
          - { id: api, name: API }
        audit:
          checkpoint_every: 5
          checkpoint_max_delay: 1m
        """;

    private readonly TempDirectory _dir = new();

    public string ExportFile => _dir.File("state.jsonl");

    public string PublicKeys => _dir.File("pub.json");

    public string AdminToken { get; private set; } = "";

    public string IntakeSecret { get; private set; } = "";

    public int Incidents { get; private set; }

    public string ExportOut { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using var server = await TestServer.StartAsync(Config);
        AdminToken = server.AdminToken;
        using var admin = server.Admin();
        IntakeSecret = await server.CreateTokenAsync("ci-intake", "intake");
        await SampleState.WriteAsync(admin, "export");
        Assert.Equal(0, (await server.CliAsync("journal", "add", "rotated the api certificates", "--service", "api", "--tag", "certs")).ExitCode);
        await server.App.Services.GetRequiredService<AuditCheckpointer>().SweepAsync(CancellationToken.None);
        Incidents = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents")).GetArrayLength();

        var export = await server.CliAsync("export", "state.jsonl");
        Assert.True(export.ExitCode == 0, export.ToString());
        ExportOut = export.Out;
        var keys = await server.CliAsync("keys", "export", "--public", "pub.json");
        Assert.True(keys.ExitCode == 0, keys.ToString());
        File.Copy(server.Dir.File("state.jsonl"), ExportFile);
        File.Copy(server.Dir.File("pub.json"), PublicKeys);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Export, import into an empty store, and offline verification, end to end through the CLI on real SQLite files.</summary>
public sealed class ExportImportTests(ExportSource source) : IClassFixture<ExportSource>
{
    [Fact]
    public async Task Export_Import_IntoEmptyStore_AuditVerifies_IncidentCountsMatch()
    {
        Assert.Contains("incidents", source.ExportOut, StringComparison.Ordinal);
        Assert.True(source.ExportOut.Contains("signed by key vk_", StringComparison.Ordinal), source.ExportOut);
        using var target = Target();
        var file = Copy(target);

        var import = await ImportAsync(target, file, "--keys", source.PublicKeys);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("verified incidents: ", import.Out, StringComparison.Ordinal);
        Assert.Contains("imported incidents: ", import.Out, StringComparison.Ordinal);
        Assert.Contains("Added public keys vk_", import.Out, StringComparison.Ordinal);
        // The source's admin token (its hash came along) signs in to the new server.
        await File.WriteAllTextAsync(target.File("data/admin.token"), source.AdminToken + "\n");
        File.SetUnixFileMode(target.File("data/admin.token"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var server = await TestServer.StartAsync(ExportSource.Config, dir: target);

        var verify = await server.CliAsync("audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("signed checkpoints verified", verify.Out, StringComparison.Ordinal);
        using var admin = server.Admin();
        Assert.Equal(source.Incidents, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/incidents")).GetArrayLength());
        var tail = await server.CliAsync("audit", "tail", "-n", "20");
        Assert.Contains("state.import", tail.Out, StringComparison.Ordinal);
        Assert.Contains("state.export", tail.Out, StringComparison.Ordinal);
        // The intake token's hash came along too: the same secret still works.
        using var intake = server.Client(source.IntakeSecret);
        Assert.Equal(HttpStatusCode.Accepted, (await intake.PostAsJsonAsync("/api/v1/events", new
        {
            routing_key = "export",
            event_action = "trigger",
            dedup_key = "after-import",
            payload = new { summary = "after import", source = "db-1", severity = "warning" },
        })).StatusCode);
    }

    [Fact]
    public async Task Export_HasNoTokenSecrets_AndEveryLineMatchesThePublishedSchema()
    {
        var text = await File.ReadAllTextAsync(source.ExportFile);
        Assert.DoesNotContain(source.AdminToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(source.IntakeSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("private_key", text, StringComparison.Ordinal);

        var schema = JsonSchema.FromText(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "docs", "export-schema.json")));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonDocument.Parse(lines[i]).RootElement;
            var result = schema.Evaluate(line, new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
            Assert.True(result.IsValid, $"line {i + 1} does not match docs/export-schema.json: {lines[i][..Math.Min(200, lines[i].Length)]}");
            if (line.TryGetProperty("section", out var s))
            {
                seen.Add(s.GetString()!);
            }
        }

        Assert.Equal("vigil-export", JsonDocument.Parse(lines[0]).RootElement.GetProperty("format").GetString());
        foreach (var section in new[] { "api_tokens", "incidents", "incident_signals", "incident_timeline", "silences", "maintenance_windows", "freezes", "journal", "audit_log", "audit_head", "audit_checkpoints" })
        {
            Assert.Contains(section, seen);
        }

        // The schema is not a blank cheque: a row with a column the store does not have is refused.
        var bad = JsonNode.Parse(lines[1])!;
        bad["row"]!["secret"] = "x";
        Assert.False(schema.Evaluate(JsonDocument.Parse(bad.ToJsonString()).RootElement).IsValid);
    }

    [Fact]
    public async Task TamperedExport_OneFieldChanged_IsRefused_AndOfflineVerifyNamesTheEntry()
    {
        using var target = Target();
        var file = Copy(target);
        var (seq, _) = Tamper(file, "audit_log", row => row["actor"] = "mallory");

        var import = await ImportAsync(target, file, "--keys", source.PublicKeys);

        Assert.Equal(ExitCodes.Failed, import.ExitCode);
        Assert.Contains("does not verify", import.Error, StringComparison.Ordinal);
        Assert.Contains("changed after it was exported", import.Error, StringComparison.Ordinal);
        Assert.Contains($"entry #{seq}", import.Error, StringComparison.Ordinal);
        Assert.Contains("--force --reason", import.Error, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(target, "incidents"));

        // Offline: no config, no store, a server address where nothing listens.
        using var offline = new TempDirectory();
        var verify = await CliRun.RunAsync(["audit", "verify", "--file", file, "--keys", source.PublicKeys, "--server", "http://127.0.0.1:1"], offline.Path);
        Assert.Equal(ExitCodes.Failed, verify.ExitCode);
        Assert.Contains($"BROKEN at entry #{seq}", verify.Error, StringComparison.Ordinal);
        Assert.Contains("signature FAILED", verify.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(offline.Path));
    }

    [Fact]
    public async Task TamperedIncident_IsRefused()
    {
        using var target = Target();
        var file = Copy(target);
        Tamper(file, "incidents", row => row["title"] = "nothing happened");

        var import = await ImportAsync(target, file, "--keys", source.PublicKeys);

        Assert.Equal(ExitCodes.Failed, import.ExitCode);
        Assert.Contains("changed after it was exported", import.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfflineVerify_WithOnlyThePublicKeys_PassesOnTheGoodFile()
    {
        using var offline = new TempDirectory();
        var verify = await CliRun.RunAsync(["audit", "verify", "--file", source.ExportFile, "--keys", source.PublicKeys, "--server", "http://127.0.0.1:1"], offline.Path);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("Signature verified", verify.Out, StringComparison.Ordinal);
        Assert.Contains("Audit chain intact", verify.Out, StringComparison.Ordinal);

        var json = await CliRun.RunAsync(["audit", "verify", "--file", source.ExportFile, "--keys", source.PublicKeys, "-o", "json"], offline.Path);
        Assert.Equal(0, json.ExitCode);
        var doc = JsonDocument.Parse(json.Out).RootElement;
        Assert.True(doc.GetProperty("ok").GetBoolean());
        Assert.True(doc.GetProperty("audit").GetProperty("checkpoints").GetInt64() > 0);

        var noKeys = await CliRun.RunAsync(["audit", "verify", "--file", source.ExportFile], offline.Path);
        Assert.Equal(ExitCodes.Usage, noKeys.ExitCode);
        Assert.Contains("--keys", noKeys.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSignature_IsRefused_EvenWithTheRightKeyId()
    {
        using var target = Target();
        var file = Copy(target);
        var lines = (await File.ReadAllTextAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var trailer = JsonNode.Parse(lines[^1])!;
        // A signature of the very same digest by another key, labelled with the real key's id.
        var forger = EcdsaKeys.Generate(DateTimeOffset.UnixEpoch);
        trailer["signature"] = EcdsaKeys.Sign(forger, SigningPurpose.Export, ExportFormat.SignedPayload(trailer["sha256"]!.GetValue<string>())).Value;
        lines[^1] = trailer.ToJsonString();
        await File.WriteAllTextAsync(file, string.Join("\n", lines) + "\n");

        var import = await ImportAsync(target, file, "--keys", source.PublicKeys);
        Assert.Equal(ExitCodes.Failed, import.ExitCode);
        Assert.Contains("signature does not match key", import.Error, StringComparison.Ordinal);

        // Without the source's public keys, the local ring does not know the key: the message says how to proceed.
        var unknown = await ImportAsync(target, Copy(target, "plain.jsonl"));
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
        Assert.Contains("not in the key ring", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("--keys PUB", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_WithReason_Imports_AndTheAuditEntryRecordsTheReason()
    {
        using var target = Target();
        var file = Copy(target);
        Tamper(file, "incidents", row => row["title"] = "edited by hand");

        var noReason = await ImportAsync(target, file, "--force");
        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error, StringComparison.Ordinal);

        var forced = await ImportAsync(target, file, "--force", "--reason", "restoring from the only copy left", "-o", "json");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        var result = JsonDocument.Parse(forced.Out).RootElement;
        Assert.True(result.GetProperty("forced").GetBoolean());
        Assert.Equal(source.Incidents, result.GetProperty("sections").GetProperty("incidents").GetInt32());

        await using var db = new SqliteConnection($"Data Source={target.File("data/vigil.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT action, reason, after_json FROM audit_log ORDER BY seq DESC LIMIT 1";
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("state.import_forced", reader.GetString(0));
        Assert.Equal("restoring from the only copy left", reader.GetString(1));
        Assert.Contains("changed after it was exported", reader.GetString(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IntoANonEmptyStore_IsRefused_NamingTheTables()
    {
        using var target = Target();
        // A first start writes a signing key (audited) and the admin token.
        var first = await TestServer.StartAsync(ExportSource.Config, dir: target);
        await first.App.StopAsync();
        await first.App.DisposeAsync();
        var file = Copy(target);

        var import = await ImportAsync(target, file, "--keys", source.PublicKeys);

        Assert.Equal(ExitCodes.Failed, import.ExitCode);
        Assert.Contains("not empty", import.Error, StringComparison.Ordinal);
        Assert.Contains("api_tokens (1 row)", import.Error, StringComparison.Ordinal);
        Assert.Contains("audit_log (", import.Error, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(target, "incidents"));
    }

    [Fact]
    public async Task UnknownVersion_Truncated_AndNotAnExport_AreRefused_Clearly()
    {
        using var target = Target();
        var file = Copy(target);
        var lines = (await File.ReadAllTextAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var header = JsonNode.Parse(lines[0])!;
        header["version"] = 2;
        await File.WriteAllTextAsync(file, string.Join("\n", [header.ToJsonString(), .. lines[1..]]) + "\n");
        var version = await ImportAsync(target, file, "--force", "--reason", "try anyway");
        Assert.Equal(ExitCodes.Failed, version.ExitCode);
        Assert.Contains("export format version 2", version.Error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, string.Join("\n", lines[..^1]) + "\n");
        var truncated = await ImportAsync(target, file, "--keys", source.PublicKeys);
        Assert.Equal(ExitCodes.Failed, truncated.ExitCode);
        Assert.Contains("truncated", truncated.Error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "name,value\n");
        var csv = await ImportAsync(target, file);
        Assert.Equal(ExitCodes.Failed, csv.ExitCode);
        Assert.Contains("not a Vigil export", csv.Error, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(target, "incidents"));
    }

    [Fact]
    public async Task ExportRoute_NeedsAdmin()
    {
        await using var server = await TestServer.StartAsync();
        using var op = server.Client(await server.CreateTokenAsync("op", "operator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/export")).StatusCode);

        var exists = await server.CliAsync("export", "vigil.yaml");
        Assert.Equal(ExitCodes.Usage, exists.ExitCode);
        Assert.Contains("never writes over", exists.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStoreTable_IsExportedOrExcludedOnPurpose_WithItsColumnsAsStored()
    {
        using var dir = new TempDirectory();
        var (store, error) = Vigil.Storage.StoreLocator.Open("sqlite:" + dir.File("vigil.db"), dir.Path, TimeProvider.System);
        Assert.Null(error);
        await using (store)
        {
            await store!.MigrateAsync(CancellationToken.None);
        }

        await using var db = new SqliteConnection($"Data Source={dir.File("vigil.db")};Pooling=False");
        await db.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            if (ExportSections.Excluded.ContainsKey(table))
            {
                continue;
            }

            var section = ExportSections.Find(table);
            Assert.True(section is not null, $"table {table} is neither exported (ExportSections.All) nor excluded on purpose (ExportSections.Excluded); decide which");
            var columns = new List<(string Name, string Type, bool NotNull)>();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = $"PRAGMA table_info({table})";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(1), reader.GetString(2), reader.GetInt64(3) == 1 || reader.GetInt64(5) > 0));
            }

            Assert.Equal(columns.Select(c => c.Name), section!.Columns.Select(c => c.Name));
            foreach (var (name, type, notNull) in columns)
            {
                var c = section.Column(name)!;
                Assert.True(c.Kind == (type == "INTEGER" ? ExportColumnKind.Integer : ExportColumnKind.Text) && type is "INTEGER" or "TEXT",
                    $"{table}.{name} is {type} in the store but {c.Kind} in the export");
                Assert.True(c.Nullable == !notNull, $"{table}.{name}: nullable in the export must match the store");
            }
        }

        Assert.Empty(ExportSections.All.Select(s => s.Name).Except(tables));
    }

    private static TempDirectory Target()
    {
        var dir = new TempDirectory();
        File.WriteAllText(dir.File("vigil.yaml"), ExportSource.Config);
        return dir;
    }

    private string Copy(TempDirectory target, string name = "state.jsonl")
    {
        var file = target.File(name);
        File.Copy(source.ExportFile, file, overwrite: true);
        return file;
    }

    private static Task<CliRun> ImportAsync(TempDirectory target, string file, params string[] more) =>
        CliRun.RunAsync(["import", file, "-c", target.File("vigil.yaml"), .. more], target.Path);

    /// <summary>Changes one field of the first row of a section, leaving the signature line as it was.</summary>
    private static (long Seq, string Line) Tamper(string file, string section, Action<JsonNode> change)
    {
        var lines = File.ReadAllText(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.FindIndex(lines, l => l.StartsWith($"{{\"section\":\"{section}\"", StringComparison.Ordinal));
        Assert.True(i > 0, $"no {section} row");
        var node = JsonNode.Parse(lines[i])!;
        change(node["row"]!);
        lines[i] = node.ToJsonString();
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        return (node["row"]!["seq"]?.GetValue<long>() ?? 0, lines[i]);
    }

    private static async Task<long> CountAsync(TempDirectory target, string table)
    {
        if (!File.Exists(target.File("data/vigil.db")))
        {
            return 0;
        }

        await using var db = new SqliteConnection($"Data Source={target.File("data/vigil.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Vigil.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A store may run a read's work again (PostgreSQL does after a lost connection). The export streams out of a read, so a
/// second run must not leave the first run's output in front of its own.
/// </summary>
public sealed class ExportReadRunsAgainTests
{
    [Fact]
    public async Task Export_WhoseReadRunsAgain_WritesOneSignedExport_AndRefusesWhenTheOutputCannotBeRewound()
    {
        await using var server = await TestServer.StartAsync(ExportSource.Config);
        using (var admin = server.Admin())
        {
            await SampleState.WriteAsync(admin, "again");
        }

        var services = server.App.Services;
        var store = new ReadTwiceStore(services.GetRequiredService<Vigil.Core.Storage.IVigilStore>());
        var keys = services.GetRequiredService<Vigil.Server.Keys.KeyService>();
        var info = services.GetRequiredService<Vigil.Server.Hosting.ServerInfo>();

        using var file = new MemoryStream();
        await Vigil.Server.Export.StateExport.WriteAsync(store, keys, info, "test", "tester", file, TimeProvider.System, CancellationToken.None);
        Assert.Equal(2, store.Runs);
        file.Position = 0;
        var check = await ExportVerifier.VerifyAsync(file, keys.Ring, null, CancellationToken.None);
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.True(check.Counts["incidents"] > 0);

        // A response body or a pipe cannot be rewound: the export fails, saying so, instead of sending two exports in one.
        await using var pipe = new System.IO.Compression.GZipStream(new MemoryStream(), System.IO.Compression.CompressionLevel.Fastest);
        var refused = await Assert.ThrowsAsync<Vigil.Core.Storage.StoreUnavailableException>(() =>
            Vigil.Server.Export.StateExport.WriteAsync(store, keys, info, "test", "tester", pipe, TimeProvider.System, CancellationToken.None));
        Assert.Contains("take the export again", refused.Reason, StringComparison.Ordinal);
    }

    /// <summary>Runs every read's work twice, as a store retrying it would; everything else goes to the real store.</summary>
    private sealed class ReadTwiceStore(Vigil.Core.Storage.IVigilStore inner) : Vigil.Core.Storage.IVigilStore
    {
        public int Runs { get; private set; }

        public string Description => inner.Description;

        public async Task<T> ReadAsync<T>(Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct)
        {
            await inner.ReadAsync((s, c) => { Runs++; return work(s, c); }, ct);
            return await inner.ReadAsync((s, c) => { Runs++; return work(s, c); }, ct);
        }

        public Task<int> MigrateAsync(CancellationToken ct) => inner.MigrateAsync(ct);

        public Task<string?> ProbeWriteAsync(CancellationToken ct) => inner.ProbeWriteAsync(ct);

        public Task CopyToAsync(string file, CancellationToken ct) => inner.CopyToAsync(file, ct);

        public Task<T> WriteAsync<T>(Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => inner.WriteAsync(work, ct);

        public Task<Vigil.Core.Results.Outcome<T>> TryWriteAsync<T>(Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<Vigil.Core.Results.Outcome<T>>> work, CancellationToken ct) =>
            inner.TryWriteAsync(work, ct);

        public Task<T> RecordAsync<T>(Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => inner.RecordAsync(work, ct);

        public Task<T> ClaimAsync<T>(Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => inner.ClaimAsync(work, ct);

        public Task NextCommitAsync(CancellationToken ct) => inner.NextCommitAsync(ct);

        public Task NextCommitAsync(Vigil.Core.Storage.CommitTopics topics, CancellationToken ct) => inner.NextCommitAsync(topics, ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
