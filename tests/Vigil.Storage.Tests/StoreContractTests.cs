using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Core.Tokens;

namespace Vigil.Storage.Tests;

/// <summary>
/// The store contract itself (transactions, audit, commit signals, schema versions, tampering, errors)
/// on each backend; the repositories have their own classes.
/// </summary>
public abstract class StoreContractTests(Backend backend) : StoreTest(backend, new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero))
{
    [Fact]
    public async Task MigrateAsync_RunTwice_IsIdempotentAndRecordsVersions()
    {
        var again = await Store.MigrateAsync(CancellationToken.None);

        Assert.Equal(Sqlite.SqliteMigrations.All[^1].Version, again);
        Assert.Equal((long)Database.MigrationSteps, Convert.ToInt64(await Database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")));
        Assert.Equal((long)again, Convert.ToInt64(await Database.ScalarAsync("SELECT MAX(version) FROM schema_migrations")));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerVigil_RefusesWithClearMessage()
    {
        await Database.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");

        var ex = await Assert.ThrowsAsync<StoreSchemaException>(() => Store.MigrateAsync(CancellationToken.None));
        Assert.Contains("schema version 999", ex.Message);
    }

    [Fact]
    public async Task WriteAsync_WithoutAuditEntry_RollsBackAndThrows()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync(async (s, ct) =>
            await s.Tokens.InsertAsync("sneaky", Role.Admin, "vgl_x", "hash-1", "test", ct), CancellationToken.None));

        Assert.Contains("audit", ex.Message);
        var tokens = await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None);
        Assert.Empty(tokens);
    }

    [Fact]
    public async Task NextCommitAsync_Topic_WakesOnlyAfterACommitThatRaisedIt()
    {
        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        var notifications = Store.NextCommitAsync(CommitTopics.Notifications, CancellationToken.None);
        var any = Store.NextCommitAsync(CancellationToken.None);

        await Store.RecordAsync((s, ct) => Task.FromResult(0), CancellationToken.None);
        Assert.True(any.IsCompleted);
        Assert.False(incidents.IsCompleted);

        // Raised, then rolled back: nobody wakes for work that is not there.
        await Assert.ThrowsAsync<TimeoutException>(() => Store.RecordAsync<int>((s, ct) =>
        {
            s.Raise(CommitTopics.Incidents);
            throw new TimeoutException("work failed");
        }, CancellationToken.None));
        Assert.False(incidents.IsCompleted);

        await Store.RecordAsync((s, ct) =>
        {
            s.Raise(CommitTopics.Incidents);
            return Task.FromResult(0);
        }, CancellationToken.None);
        await incidents;
        Assert.False(notifications.IsCompleted);

        var either = Store.NextCommitAsync(CommitTopics.Incidents | CommitTopics.Notifications, CancellationToken.None);
        Assert.False(either.IsCompleted);
        await Store.RecordAsync((s, ct) =>
        {
            s.Raise(CommitTopics.Notifications);
            return Task.FromResult(0);
        }, CancellationToken.None);
        await either;
        await notifications;
    }

    [Fact]
    public async Task TryWriteAsync_WorkRefuses_RollsBackWhatItWroteAndReturnsTheRefusal()
    {
        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);

        var outcome = await Store.TryWriteAsync<long>(async (s, ct) =>
        {
            await s.Tokens.InsertAsync("half", Role.Viewer, "vgl_y", "hash-2", "test", ct);
            await s.Audit.AppendAsync(new AuditDraft("test", "token.create", "token/1"), ct);
            s.Raise(CommitTopics.Incidents);
            return Refused.Conflict("changed meanwhile");
        }, CancellationToken.None);

        Assert.Equal(new Refused(RefusalKind.Conflict, "changed meanwhile"), outcome.Refusal);
        Assert.Empty(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None));
        Assert.Empty(await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None));
        Assert.False(incidents.IsCompleted);
    }

    [Fact]
    public async Task TryWriteAsync_WorkSucceeds_CommitsAndReturnsTheValue()
    {
        var outcome = await Store.TryWriteAsync<long>(async (s, ct) =>
        {
            var token = await s.Tokens.InsertAsync("kept", Role.Viewer, "vgl_z", "hash-3", "test", ct);
            await s.Audit.AppendAsync(new AuditDraft("test", "token.create", "token/1"), ct);
            return token.Id;
        }, CancellationToken.None);

        Assert.False(outcome.IsRefused);
        Assert.Equal(outcome.Value, Assert.Single(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task TryWriteAsync_SucceedsWithoutAuditEntry_RollsBackAndThrows()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.TryWriteAsync<long>(async (s, ct) =>
            (await s.Tokens.InsertAsync("sneaky", Role.Admin, "vgl_x", "hash-1", "test", ct)).Id, CancellationToken.None));

        Assert.Empty(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None));
    }

    [Fact]
    public async Task NextCommitAsync_Holds_WakesItsWaitersOnly()
    {
        var holds = Store.NextCommitAsync(CommitTopics.Holds, CancellationToken.None);
        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        var either = Store.NextCommitAsync(CommitTopics.Incidents | CommitTopics.Holds, CancellationToken.None);

        await Store.RecordAsync((s, ct) =>
        {
            s.Raise(CommitTopics.Holds);
            return Task.FromResult(0);
        }, CancellationToken.None);

        await holds;
        await either;
        Assert.False(incidents.IsCompleted);
    }

    [Fact]
    public async Task NextCommitAsync_PublicStatus_WakesOnItsOwnTopicOnly()
    {
        var publicStatus = Store.NextCommitAsync(CommitTopics.PublicStatus, CancellationToken.None);
        var incidentsOrPublic = Store.NextCommitAsync(CommitTopics.Incidents | CommitTopics.PublicStatus, CancellationToken.None);
        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);

        await Store.RecordAsync((s, ct) =>
        {
            s.Raise(CommitTopics.Notifications);
            return Task.FromResult(0);
        }, CancellationToken.None);
        Assert.False(publicStatus.IsCompleted);
        Assert.False(incidentsOrPublic.IsCompleted);

        await Store.RecordAsync((s, ct) =>
        {
            s.Raise(CommitTopics.PublicStatus);
            return Task.FromResult(0);
        }, CancellationToken.None);
        await publicStatus;
        await incidentsOrPublic;
        Assert.False(incidents.IsCompleted);
    }

    [Fact]
    public async Task WriteAsync_WorkThrows_NothingCommits()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => Store.WriteAsync<int>(async (s, ct) =>
        {
            await s.Tokens.InsertAsync("half", Role.Viewer, "vgl_y", "hash-2", "test", ct);
            await s.Audit.AppendAsync(new AuditDraft("test", "token.create", "token/1"), ct);
            throw new TimeoutException("simulated failure after the audit entry");
        }, CancellationToken.None));

        Assert.Empty(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None));
        Assert.Empty(await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_InsertFindRevoke_RoundTrips()
    {
        var secret = TokenSecret.Generate();
        var token = await Store.WriteAsync(async (s, ct) =>
        {
            var t = await s.Tokens.InsertAsync("ci", Role.Operator, TokenSecret.PrefixOf(secret), TokenSecret.Hash(secret), "admin", ct);
            await s.Audit.AppendAsync(new AuditDraft("admin", "token.create", $"token/{t.Id}"), ct);
            return t;
        }, CancellationToken.None);

        var found = await Store.ReadAsync((s, ct) => s.Tokens.FindActiveByHashAsync(TokenSecret.Hash(secret), ct), CancellationToken.None);
        Assert.Equal(token with { }, found);
        Assert.Equal(Role.Operator, found!.Role);
        Assert.Equal(Time.GetUtcNow(), found.CreatedAt);

        Time.Advance(TimeSpan.FromMinutes(5));
        var revoked = await Store.WriteAsync(async (s, ct) =>
        {
            var r = await s.Tokens.RevokeAsync(token.Id, ct);
            await s.Audit.AppendAsync(new AuditDraft("admin", "token.revoke", $"token/{token.Id}"), ct);
            return r;
        }, CancellationToken.None);

        Assert.Equal(Time.GetUtcNow(), revoked!.RevokedAt);
        Assert.Null(await Store.ReadAsync((s, ct) => s.Tokens.FindActiveByHashAsync(TokenSecret.Hash(secret), ct), CancellationToken.None));
        Assert.Single(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None));
        Assert.Empty(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(false, ct), CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_ActiveNameTaken_UniqueIndexRefusesSecond()
    {
        await InsertToken("dup", "h1");
        var ex = await Assert.ThrowsAsync<StoreConflictException>(() => InsertToken("dup", "h2"));
        Assert.Contains("nothing was stored", ex.Reason);
        Assert.Single(await Store.ReadAsync((s, ct) => s.Tokens.ListAsync(true, ct), CancellationToken.None));
    }

    [Fact]
    public async Task AuditCheckpoints_StoredWithoutAnEntry_ListedInOrder_VerifiedAgainstKeys()
    {
        var key = Vigil.Core.Signing.EcdsaKeys.Generate(Time.GetUtcNow());
        for (var i = 0; i < 4; i++)
        {
            await Append($"act.{i}");
        }

        Assert.Null(await Store.ReadAsync((s, ct) => s.Audit.LastCheckpointAsync(ct), CancellationToken.None));
        var head = await Store.ReadAsync((s, ct) => s.Audit.HeadAsync(ct), CancellationToken.None);
        Assert.Equal(4, head!.Value.Seq);
        Time.Advance(TimeSpan.FromSeconds(1));
        var at = Time.GetUtcNow();
        var sig = Vigil.Core.Signing.EcdsaKeys.Sign(key, Vigil.Core.Signing.SigningPurpose.AuditCheckpoint, AuditCheckpoint.Payload(4, head.Value.Hash, at));
        // A checkpoint is recorded without an audit entry of its own.
        await Store.RecordAsync(async (s, ct) =>
        {
            await s.Audit.AddCheckpointAsync(new AuditCheckpoint(4, head.Value.Hash, at, sig.KeyId, sig.Value), ct);
            return 0;
        }, CancellationToken.None);

        var all = await Store.ReadAsync((s, ct) => s.Audit.ListCheckpointsAsync(ct), CancellationToken.None);
        Assert.Equal(4, Assert.Single(all).Seq);
        Assert.Equal(at, all[0].At);
        var ring = new Vigil.Core.Signing.KeyRing([key]);
        var verified = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ring, ct), CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(1, verified.Checkpoints);
        var unknownKey = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(Vigil.Core.Signing.KeyRing.Empty, ct), CancellationToken.None);
        Assert.False(unknownKey.Ok);
        Assert.Equal(4, unknownKey.BadCheckpoint);
    }

    [Fact]
    public async Task Audit_AppendMany_ChainVerifies()
    {
        for (var i = 0; i < 50; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Append($"act.{i}", before: i % 2 == 0 ? null : "{\"n\":1}");
        }

        var result = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(50, result.Checked);

        var tail = await Store.ReadAsync((s, ct) => s.Audit.TailAsync(3, ct), CancellationToken.None);
        Assert.Equal([48L, 49L, 50L], tail.Select(e => e.Seq));
        var after = await Store.ReadAsync((s, ct) => s.Audit.ListAfterAsync(45, 2, ct), CancellationToken.None);
        Assert.Equal([46L, 47L], after.Select(e => e.Seq));
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", 3L, "changed")]
    [InlineData("UPDATE audit_log SET after_json = '{\"role\":\"admin\"}' WHERE seq = 4", 4L, "changed")]
    [InlineData("DELETE FROM audit_log WHERE seq = 2", 2L, "missing")]
    [InlineData("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); UPDATE audit_log SET seq = 3 WHERE seq = -2; UPDATE audit_log SET seq = 2 WHERE seq = -3", 2L, "")]
    [InlineData("DELETE FROM audit_log WHERE seq = 5", 5L, "removed")]
    [InlineData("UPDATE audit_log SET at = at + 1 WHERE seq = 1", 1L, "changed")]
    public async Task Audit_TamperedRow_VerifyNamesTheEntry(string tamper, long brokenAt, string wording)
    {
        for (var i = 0; i < 5; i++)
        {
            await Append($"act.{i}");
        }

        Assert.True((await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None)).Ok);
        await Database.ExecuteAsync(tamper);

        var result = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.False(result.Ok);
        Assert.Equal(brokenAt, result.BrokenAt);
        Assert.Contains(wording, result.Problem);
    }

    [Fact]
    public async Task Audit_ConcurrentWriters_ProduceOneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Append($"concurrent.{i}"))));

        var result = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(40, result.Checked);
    }

    [Fact]
    public async Task Audit_SecondStoreInstanceOnSameFile_ContinuesTheChain()
    {
        await Append("first");
        await using (var other = await OpenAsync())
        {
            await other.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("other", "second", "x"), ct), CancellationToken.None);
        }

        await Append("third");
        var result = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(3, result.Checked);
    }

    private Task<AuditEntry> Append(string action, string? before = null) =>
        Store.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("tester", action, "thing/1", "because", before, "{\"v\":2}"), ct), CancellationToken.None);

    private Task InsertToken(string name, string hash) =>
        Store.WriteAsync(async (s, ct) =>
        {
            var t = await s.Tokens.InsertAsync(name, Role.Viewer, "vgl_p", hash, "test", ct);
            return await s.Audit.AppendAsync(new AuditDraft("test", "token.create", $"token/{t.Id}"), ct);
        }, CancellationToken.None);

    public sealed class OnSqlite() : StoreContractTests(Backend.Sqlite);

    public sealed class OnPostgres() : StoreContractTests(Backend.Postgres);
}
