using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Keys;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;
using Vigil.Storage;

namespace Vigil.Server.Tests.Backups;

/// <summary>
/// <c>vigil backup self</c> while intake writes: the online copy must be one consistent moment of the
/// database — it opens, passes SQLite's integrity check, its audit chain and checkpoint signatures verify,
/// and it holds every incident acknowledged before the copy began and none that were never acknowledged.
/// </summary>
public sealed class SelfBackupUnderLoadTests
{
    private const string Config = """
        vigil: { name: self-backup-test, environment: dev }
        services:
          - { id: api, name: API }
        """;

    private const int Writers = 4;

    [Fact]
    public async Task SelfBackup_TakenWhileIntakeRuns_OpensAndItsAuditChainVerifies()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(Config, time);
        using var intake = server.Client(await server.CreateTokenAsync("intake-bot", "intake"));

        // Writers post distinct alerts (each a new incident with its audit entries) until told to stop.
        var acknowledged = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await intake.PostJsonAsync(Intake.AlertsV2, Alert($"Load{w}x{i}"));
                await response.AssertSuccessAsync("intake under load");
                Interlocked.Increment(ref acknowledged);
            }
        })).ToList();

        // Wait for load by counting acknowledgements, not by the clock.
        await WaitForAsync(() => Volatile.Read(ref acknowledged) >= 200 || writers.Any(t => t.IsFaulted));
        var incidentsBefore = await CountIncidentsAsync(server.App.Services.GetRequiredService<IVigilStore>());

        var run = await server.CliAsync("backup", "self", "-o", "json");
        var ackedDuringCopy = Volatile.Read(ref acknowledged);

        // Keep writing a little after the copy so the live store has moved on from it.
        await WaitForAsync(() => Volatile.Read(ref acknowledged) >= ackedDuringCopy + 50 || writers.Any(t => t.IsFaulted));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(run.ExitCode == 0, run.ToString());
        var backup = JsonSerializer.Deserialize<BackupView>(run.Out, VigilJson.Options)!;
        Assert.Equal("completed", backup.Status);
        Assert.True(backup.Verified, backup.VerifyError);

        var restoreDir = server.Dir.File("restored");
        var restored = await server.CliAsync("backup", "restore", backup.Id, "--to", restoreDir);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        var copy = Path.Combine(restoreDir, "vigil.db");
        Assert.True(File.Exists(copy), $"restore wrote no vigil.db: {restored}");

        await using (var raw = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False"))
        {
            await raw.OpenAsync();
            await using var check = raw.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        }

        var (store, error) = StoreLocator.Open("sqlite:" + copy, restoreDir, time);
        Assert.True(store is not null, error);
        await using (store)
        {
            var chain = await store.ReadAsync((s, ct) => s.Audit.VerifyAsync(server.App.Services.GetRequiredService<KeyService>().Ring, ct), CancellationToken.None);
            Assert.True(chain.Ok, $"the copy's audit chain: {chain.Problem} at entry {chain.BrokenAt}, checkpoint {chain.BadCheckpoint}");

            var copied = await CountIncidentsAsync(store);
            var live = await CountIncidentsAsync(server.App.Services.GetRequiredService<IVigilStore>());
            Assert.InRange(copied, incidentsBefore, live);
            Assert.True(live > copied, "the load went on after the copy, so the live store must hold more than the copy");
        }
    }

    private static async Task<int> CountIncidentsAsync(IVigilStore store) =>
        await store.ReadAsync(async (s, ct) => (await s.Incidents.ListAsync(new IncidentQuery(Limit: 1_000_000), ct)).Count, CancellationToken.None);

    private static JsonNode Alert(string name) => new JsonArray(new JsonObject
    {
        ["labels"] = new JsonObject { ["alertname"] = name, ["service"] = "api", ["severity"] = "warning" },
        ["annotations"] = new JsonObject { ["summary"] = $"{name} fired" },
    });

    /// <summary>Polls a count-based condition; the generous cap only turns a hang into a failure.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var polls = 0; !condition(); polls++)
        {
            Assert.True(polls < 30_000, "the intake load never reached the count the test waits for");
            await Task.Delay(10);
        }
    }
}
