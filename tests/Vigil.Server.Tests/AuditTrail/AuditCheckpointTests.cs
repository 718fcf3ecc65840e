using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Cli;
using Vigil.Core.Audit;
using Vigil.Core.Storage;
using Vigil.Server.AuditTrail;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.AuditTrail;

/// <summary>Signed checkpoints of the audit chain: when they are made, and what they catch.</summary>
public sealed class AuditCheckpointTests
{
    private const string Config = TestServer.MinimalConfig + """

        audit:
          checkpoint_every: 5
          checkpoint_max_delay: 1m
        """;

    // Checkpoints only when the test asks (or after a minute, longer than these tests take).
    private const string ManualConfig = TestServer.MinimalConfig + """

        audit:
          checkpoint_every: 100000
          checkpoint_max_delay: 10m
        """;

    [Fact]
    public async Task Checkpoints_EveryNEntries_AndAfterMaxDelay_OnAFakeClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(Config, clock);
        var checkpointer = server.App.Services.GetRequiredService<AuditCheckpointer>();
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        // First start wrote key.create and the bootstrap token.create: 2 entries, fewer than 5, none a minute old.
        await checkpointer.SweepAsync(CancellationToken.None);
        Assert.Null(await store.ReadAsync((s, c) => s.Audit.LastCheckpointAsync(c), CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(59));
        await checkpointer.SweepAsync(CancellationToken.None);
        Assert.Null(await store.ReadAsync((s, c) => s.Audit.LastCheckpointAsync(c), CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(1));
        await checkpointer.SweepAsync(CancellationToken.None);
        var first = await store.ReadAsync((s, c) => s.Audit.LastCheckpointAsync(c), CancellationToken.None);
        Assert.Equal(2, first!.Seq);

        for (var i = 0; i < 5; i++)
        {
            await server.CreateTokenAsync($"t{i}", "viewer");
        }

        await checkpointer.SweepAsync(CancellationToken.None);
        var second = await store.ReadAsync((s, c) => s.Audit.LastCheckpointAsync(c), CancellationToken.None);
        Assert.Equal(7, second!.Seq);

        var verify = await server.CliAsync("audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("2 signed checkpoints", verify.Out);
    }

    [Fact]
    public async Task RehashAttack_WithSqlite3_VerifyFailsAtTheCheckpoint()
    {
        await using var server = await TestServer.StartAsync(ManualConfig);
        var checkpointer = server.App.Services.GetRequiredService<AuditCheckpointer>();
        for (var i = 0; i < 3; i++)
        {
            await server.CreateTokenAsync($"before{i}", "viewer");
        }

        var cp = await checkpointer.CheckpointNowAsync(CancellationToken.None);
        Assert.NotNull(cp);
        await server.CreateTokenAsync("after", "viewer");
        Assert.Equal(0, (await server.CliAsync("audit", "verify")).ExitCode);

        // The attacker rewrites entry #3 and recomputes the hash of it and of every later entry, and the head,
        // with the published algorithm and the sqlite3 shell: the chain alone is consistent again.
        var db = Path.Combine(server.DataDirectory, "vigil.db");
        await AuditTamper.RehashAsync(db, 3, "nothing to see");
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        Assert.True((await store.ReadAsync((s, c) => s.Audit.VerifyAsync(c), CancellationToken.None)).Ok, "the forged chain is consistent on its own");

        var broken = await server.CliAsync("audit", "verify");

        Assert.Equal(ExitCodes.Failed, broken.ExitCode);
        Assert.Contains($"checkpoint #{cp!.Seq}", broken.Error);
        Assert.Contains("re-hashed", broken.Error);
    }

    [Fact]
    public async Task KeyRotation_OldCheckpointsStillVerify()
    {
        await using var server = await TestServer.StartAsync(ManualConfig);
        var checkpointer = server.App.Services.GetRequiredService<AuditCheckpointer>();
        var first = await checkpointer.CheckpointNowAsync(CancellationToken.None);
        Assert.Equal(0, (await server.CliAsync("keys", "rotate", "--reason", "test")).ExitCode);
        await server.CreateTokenAsync("later", "viewer");
        var second = await checkpointer.CheckpointNowAsync(CancellationToken.None);

        Assert.NotEqual(first!.KeyId, second!.KeyId);
        var verify = await server.CliAsync("audit", "verify", "-o", "json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var result = System.Text.Json.JsonDocument.Parse(verify.Out).RootElement;
        Assert.True(result.GetProperty("checkpoints").GetInt64() >= 2);
    }

    [Fact]
    public async Task Stop_SignsWhatWasWrittenSinceTheLastCheckpoint()
    {
        using var dir = new TempDirectory();
        var server = await TestServer.StartAsync(Config, dir: dir);
        await server.CreateTokenAsync("x", "viewer");
        await server.App.StopAsync();
        await server.App.DisposeAsync();

        await using var c = new SqliteConnection($"Data Source={dir.File("data/vigil.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT MAX(seq) FROM audit_checkpoints) = (SELECT seq FROM audit_head)";
        Assert.Equal(1L, cmd.ExecuteScalar());
    }
}
