using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Audit;
using Vigil.Storage.Ado;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class SqliteCheckpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SqliteVigilStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteVigilStore(_dir.File("vigil.db"), new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero)));
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Commits_PastThreshold_BackgroundCheckpointCopiesWalIntoDatabaseFile()
    {
        // In WAL mode only a checkpoint writes the database file itself. SQLite's own
        // auto-checkpoint is raised to a backstop far above what these commits write, so the
        // file grows only if the background checkpoint ran.
        var before = new FileInfo(_dir.File("vigil.db")).Length;
        var reason = new string('x', 4000);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var checkpointed = _store.Checkpointer.NextCheckpointAsync(timeout.Token);

        for (var i = 0; i < SqliteCheckpointer.CommitsPerCheckpoint; i++)
        {
            await _store.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("tester", "bulk.write", $"thing/{i}", reason), ct), CancellationToken.None);
        }

        await checkpointed;
        Assert.Null(_store.Checkpointer.LastError);
        Assert.True(new FileInfo(_dir.File("vigil.db")).Length > before + (SqliteCheckpointer.CommitsPerCheckpoint * 4000L),
            "the committed pages should be in the database file after the background checkpoint");
        var verified = await _store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(SqliteCheckpointer.CommitsPerCheckpoint, verified.Checked);
    }

    [Fact]
    public async Task Commits_BelowThreshold_LeaveCheckpointToLater()
    {
        for (var i = 0; i < SqliteCheckpointer.CommitsPerCheckpoint - 1; i++)
        {
            await _store.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("tester", "write", $"thing/{i}", "because"), ct), CancellationToken.None);
        }

        Assert.Equal(0, _store.Checkpointer.Runs);
    }

    [Fact]
    public void LabelCache_SameJson_SharedReadOnlySetThatMapsBackToItsJson()
    {
        const string json = "{\"alertname\":\"Disk\",\"instance\":\"host-1\"}";

        var first = LabelCache.Parse(json);
        var second = LabelCache.Parse(json);

        Assert.Same(first, second);
        Assert.Equal("host-1", first["instance"]);
        Assert.False(first is IDictionary<string, string> { IsReadOnly: false });
        Assert.Equal(json, LabelCache.Json(first));
        Assert.Null(LabelCache.Json(new Dictionary<string, string> { ["alertname"] = "Disk" }));
    }
}
