using Npgsql;
using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>
/// What only the PostgreSQL store has to show on a real server: migrations under an advisory lock, the same
/// schema as SQLite, and backend errors turned into Vigil's own (retried where that is safe, never with the password).
/// </summary>
public sealed class PostgresStoreTests() : StoreTest(Backend.Postgres)
{
    private string Connection => Database.ConnectionString!;

    [Fact]
    public void Migrations_KeepInLockstepWithSqlite()
    {
        Assert.Equal(PostgresMigrations.BaselineVersion, PostgresMigrations.All[0].Version);
        Assert.Equal(SqliteMigrations.All[^1].Version, PostgresMigrations.All[^1].Version);
        // After the baseline, each step has SQLite's number and name: a version is the same schema on both.
        foreach (var m in PostgresMigrations.All.Skip(1))
        {
            Assert.Equal(SqliteMigrations.All.Single(s => s.Version == m.Version).Name, m.Name);
        }

        Assert.Equal(PostgresMigrations.All.Select(m => m.Version).Order(), PostgresMigrations.All.Select(m => m.Version));
    }

    [Fact]
    public async Task Schema_HasSqlitesTablesAndColumns()
    {
        await using var sqlite = await StoreDatabase.CreateAsync(Backend.Sqlite);
        await using (var store = sqlite.NewStore(Time))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        var tables = ((string)(await sqlite.ScalarAsync(
            "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"))!).Split(',');
        var expected = new List<string>();
        foreach (var table in tables)
        {
            var columns = (string)(await sqlite.ScalarAsync($"SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('{table}') ORDER BY name)"))!;
            expected.Add($"{table}: {columns}");
        }

        var actual = new List<string>();
        await using var c = new NpgsqlConnection(Connection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT table_name || ': ' || string_agg(column_name::text, ',' ORDER BY column_name::text COLLATE "C")
            FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name ORDER BY table_name::text COLLATE "C"
            """, c);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actual.Add(reader.GetString(0));
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task MigrateAsync_TwoNodesStartingTogether_MigrateOnce()
    {
        // A database of its own: the base class's store has migrated this test's database already.
        var fresh = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var stores = Enumerable.Range(0, 3).Select(_ => new PostgresVigilStore(StoreDatabase.Target(fresh), Time)).ToList();
            var versions = await Task.WhenAll(stores.Select(s => s.MigrateAsync(CancellationToken.None)));
            Assert.All(versions, v => Assert.Equal(PostgresMigrations.All[^1].Version, v));
            await using var c = new NpgsqlConnection(fresh);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", c);
            Assert.Equal((long)PostgresMigrations.All.Count, (long)(await cmd.ExecuteScalarAsync())!);
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(fresh);
        }
    }

    [Fact]
    public async Task MigrateAsync_WaitsForTheAdvisoryLockAnotherNodeHolds()
    {
        await using var holder = new NpgsqlConnection(Connection);
        await holder.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresVigilStore.MigrationLockKey})", holder))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        await using var store = Database.NewStore(Time);
        var migrating = store.MigrateAsync(CancellationToken.None);
        // The store's session shows up waiting on the advisory lock: it does not migrate beside the holder.
        await using (var watcher = new NpgsqlConnection(Connection))
        {
            await watcher.OpenAsync();
            for (var i = 0; ; i++)
            {
                await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", watcher);
                if ((long)(await cmd.ExecuteScalarAsync())! == 1)
                {
                    break;
                }

                Assert.True(i < 3000, "the migrating store never waited on the advisory lock");
                Assert.False(migrating.IsCompleted, "the store migrated while another session held the migration lock");
                await Task.Yield();
                await Task.Delay(10);
            }
        }

        Assert.False(migrating.IsCompleted);
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresVigilStore.MigrationLockKey})", holder))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        Assert.Equal(PostgresMigrations.All[^1].Version, await migrating);
    }

    [Fact]
    public async Task WriteAsync_AnotherNodeTakesTheNextAuditSeqMeanwhile_RunsTheWorkAgainAndKeepsOneChain()
    {
        await using var other = await OpenAsync();
        var attempts = 0;
        await Store.WriteAsync(async (s, ct) =>
        {
            attempts++;
            await s.Audit.HeadAsync(ct);
            if (attempts == 1)
            {
                // Another node appends between this transaction's read of the head and its write after it.
                await other.WriteAsync((o, c) => o.Audit.AppendAsync(new AuditDraft("node-b", "b.write", "x"), c), ct);
            }

            return await s.Audit.AppendAsync(new AuditDraft("node-a", "a.write", "x"), ct);
        }, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Equal(1, ((PostgresVigilStore)Store).Retries);
        var verified = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(["b.write", "a.write"], (await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None)).Select(e => e.Action));
    }

    [Fact]
    public async Task WriteAsync_LosingTheAuditSeqRace_RunsAgainHoldingTheChain_WhileAnotherNodesAppendWaits()
    {
        // A long transaction (an escalation pass) against a stream of short appends on another node: each run without the
        // chain loses the race for the next seq to an append committed meanwhile, so after one loss it runs holding the chain.
        await using var other = await OpenAsync();
        var attempts = 0;
        var appends = new List<Task<AuditEntry>>();
        await Store.WriteAsync(async (s, ct) =>
        {
            attempts++;
            await s.Audit.HeadAsync(ct);
            var append = other.WriteAsync((o, c) => o.Audit.AppendAsync(new AuditDraft("node-b", "b.write", "x"), c), ct);
            appends.Add(append);
            if (attempts == 1)
            {
                // Another node appends between this run's read of the head and its own append: this run loses the seq.
                await append;
            }
            else
            {
                // Now this run holds the chain: the other node's append waits for its commit instead of taking the seq.
                await WaitForLockWaitersAsync(1);
                Assert.False(append.IsCompleted);
            }

            return await s.Audit.AppendAsync(new AuditDraft("node-a", "a.write", "x"), ct);
        }, CancellationToken.None);

        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, attempts);
        var verified = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(["b.write", "a.write", "b.write"], (await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None)).Select(e => e.Action));
    }

    [Fact]
    public async Task WriteAsync_LosingTheAuditSeqRace_AsAUserThatMayNotLockTheAuditLog_RunsAgainWithoutTheLock()
    {
        // A DBA made audit_log insert-only for the Vigil user: LOCK TABLE is refused (42501), and the run goes on unlocked.
        var role = "vigil_insert_only_" + Guid.NewGuid().ToString("N")[..8];
        await Database.ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; " +
            $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}; REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}");
        try
        {
            await using (var limited = new PostgresVigilStore(StoreDatabase.Target(new NpgsqlConnectionStringBuilder(Connection) { Username = role }.ConnectionString), Time))
            {
                await using var other = await OpenAsync();
                var attempts = 0;
                await limited.WriteAsync(async (s, ct) =>
                {
                    await s.Audit.HeadAsync(ct);
                    if (++attempts == 1)
                    {
                        await other.WriteAsync((o, c) => o.Audit.AppendAsync(new AuditDraft("node-b", "b.write", "x"), c), ct);
                    }

                    return await s.Audit.AppendAsync(new AuditDraft("node-a", "a.write", "x"), ct);
                }, CancellationToken.None);

                Assert.Equal(2, attempts);
            }

            var verified = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
            Assert.True(verified.Ok, verified.Problem);
            Assert.Equal(["b.write", "a.write"], (await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None)).Select(e => e.Action));
        }
        finally
        {
            await Database.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    /// <summary>Waits until <paramref name="count"/> sessions of this test's database wait for a lock (polling pg_stat_activity).</summary>
    private async Task WaitForLockWaitersAsync(int count)
    {
        for (var i = 0; i < 3000; i++)
        {
            if (Convert.ToInt64(await Database.ScalarAsync(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) >= count)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{count} session(s) waiting for a lock did not happen within 30 s");
    }

    [Fact]
    public async Task RecordAsync_SerializationFailure_RunsTheWorkAgainOnAFreshSnapshot()
    {
        await using var other = await OpenAsync();
        var hour = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var attempts = 0;
        await Store.RecordAsync(async (s, ct) =>
        {
            attempts++;
            await s.Checks.ListHourRawAsync(hour, ct);
            if (attempts == 1)
            {
                // Another node stores the same hour after this transaction's snapshot: its upsert cannot serialize (40001).
                await other.RecordAsync(async (o, c) =>
                {
                    await o.Checks.UpsertHourAsync(Bucket(hour, 1).ToRollup(includeRaw: false), null, c);
                    return 0;
                }, ct);
            }

            await s.Checks.UpsertHourAsync(Bucket(hour, 3).ToRollup(includeRaw: false), null, ct);
            return 0;
        }, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Equal(3L, Convert.ToInt64(await Database.ScalarAsync("SELECT count FROM check_history")));
    }

    [Fact]
    public async Task WriteAsync_ConflictThatPersists_IsStoreConflictAfterTheRetries()
    {
        await using var other = await OpenAsync();
        var hour = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var attempts = 0;
        var ex = await Assert.ThrowsAsync<StoreConflictException>(() => Store.RecordAsync(async (s, ct) =>
        {
            attempts++;
            await s.Checks.ListHourRawAsync(hour, ct);
            await other.RecordAsync(async (o, c) =>
            {
                await o.Checks.UpsertHourAsync(Bucket(hour, attempts).ToRollup(includeRaw: false), null, c);
                return 0;
            }, ct);
            await s.Checks.UpsertHourAsync(Bucket(hour, 9).ToRollup(includeRaw: false), null, ct);
            return 0;
        }, CancellationToken.None));

        Assert.Equal(PostgresVigilStore.MaxAttempts, attempts);
        Assert.Contains("40001", ex.Reason);
        Assert.Equal((long)PostgresVigilStore.MaxAttempts, Convert.ToInt64(await Database.ScalarAsync("SELECT count FROM check_history")));
    }

    private static HistoryBucket Bucket(DateTimeOffset hour, int samples)
    {
        var b = new HistoryBucket("svc/a", hour);
        for (var i = 0; i < samples; i++)
        {
            b.Add(new HistorySample(hour.AddSeconds(i), HealthState.Ok, FailureReason.None, 10));
        }

        return b;
    }

    [Fact]
    public async Task WriteAsync_ConnectionLostBeforeCommit_RetriesOnceOnAFreshConnection()
    {
        var attempts = 0;
        await Store.WriteAsync(async (s, ct) =>
        {
            await s.Audit.HeadAsync(ct);
            if (++attempts == 1)
            {
                // The server ends this session (as a restart or a failover does) in the middle of the work.
                // pg_terminate_backend waits (up to 10 s) until the session is gone.
                await Database.ExecuteAsync(
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'");
            }

            return await s.Audit.AppendAsync(new AuditDraft("tester", "survives", "x"), ct);
        }, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Equal("survives", Assert.Single(await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None)).Action);
    }

    [Fact]
    public async Task WriteAsync_AnotherNodeStalledMidTransaction_HoldsUpOtherWritersOnlyUntilTheServerEndsItsSession()
    {
        // Node A stops (SIGSTOP, a VM freeze, a cut network) after appending an audit entry and before its COMMIT: the entry's
        // seq stays locked by its open transaction, and any other writer appending to the chain waits for that transaction.
        await using var stalled = new PostgresVigilStore(StoreDatabase.Target(Connection), Time, stalledTransactionTimeout: TimeSpan.FromSeconds(1));
        await stalled.MigrateAsync(CancellationToken.None);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        var a = stalled.WriteAsync(async (s, ct) =>
        {
            var entry = await s.Audit.AppendAsync(new AuditDraft("node-a", "a.write", "x"), ct);
            if (++attempts == 1)
            {
                holding.TrySetResult();
                await resume.Task;
            }

            return entry;
        }, CancellationToken.None);
        await holding.Task;

        // Node B's append waits on A's row only until the server ends A's idle transaction; without that it would wait forever.
        await Store.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("node-b", "b.write", "x"), ct), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        // A resumes: its session is gone and nothing of its first attempt was stored, so the work runs again on a fresh connection.
        resume.TrySetResult();
        await a.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, attempts);
        var verified = await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None);
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(["b.write", "a.write"], (await Store.ReadAsync((s, ct) => s.Audit.TailAsync(10, ct), CancellationToken.None)).Select(e => e.Action));
    }

    [Fact]
    public async Task ReadAsync_WaitingOnItsConsumerLongerThanTheStalledTransactionTimeout_IsNotEnded()
    {
        // A read holds no row locks and may wait on whoever consumes it (an export streamed to a slow client): the timeout is
        // for writes only.
        await using var store = new PostgresVigilStore(StoreDatabase.Target(Connection), Time, stalledTransactionTimeout: TimeSpan.FromSeconds(1));
        var attempts = 0;
        var head = await store.ReadAsync(async (s, ct) =>
        {
            attempts++;
            await s.Audit.HeadAsync(ct);
            // Until the server's clock says this session has sat idle in its transaction for twice the timeout.
            for (var i = 0; Convert.ToInt64(await Database.ScalarAsync(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND now() - state_change > interval '2 seconds'")) == 0; i++)
            {
                Assert.True(i < 3000, "the read's session never sat idle for 2 s");
                await Task.Delay(10, ct);
            }

            return await s.Audit.HeadAsync(ct);
        }, CancellationToken.None);

        Assert.Null(head);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ServerUnreachable_IsStoreUnavailable_NamingTheAddressNeverThePassword()
    {
        const string Password = "s3cret-never-shown";
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (target, error) = PostgresTarget.Resolve($"postgres://vigil@127.0.0.1:{port}/vigil?connect_timeout=5",
            name => name == PostgresTarget.PasswordVariable ? Password : null);
        Assert.Null(error);
        await using var store = new PostgresVigilStore(target!, Time);

        var migrate = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync(CancellationToken.None));
        var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync((s, ct) => s.Audit.HeadAsync(ct), CancellationToken.None));
        var probe = await store.ProbeWriteAsync(CancellationToken.None);

        foreach (var reason in new[] { migrate.Reason, read.Reason, probe! })
        {
            Assert.Contains($"postgres://vigil@127.0.0.1:{port}/vigil", reason);
            Assert.DoesNotContain(Password, reason);
        }

        Assert.Contains("cannot reach PostgreSQL", read.Reason);
    }

    [Fact]
    public async Task ReadOnlyServer_WritesAreStoreUnavailable_AndReadinessSaysWhy()
    {
        var name = new NpgsqlConnectionStringBuilder(Connection).Database;
        await Database.ExecuteAsync($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
        await using var store = Database.NewStore(Time);

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.WriteAsync((s, ct) => s.Audit.AppendAsync(new AuditDraft("tester", "refused", "x"), ct), CancellationToken.None));
        Assert.Contains("accepts no writes", ex.Reason);
        Assert.Contains("accepts no writes", await store.ProbeWriteAsync(CancellationToken.None));
        Assert.Null(await store.ReadAsync((s, ct) => s.Audit.HeadAsync(ct), CancellationToken.None));
    }

    [Fact]
    public async Task ProbeWriteAsync_HealthyServer_Commits()
    {
        Assert.Null(await Store.ProbeWriteAsync(CancellationToken.None));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToInt64(await Database.ScalarAsync("SELECT probed_at FROM store_probe WHERE id = 1")));
    }

    [Fact]
    public async Task NextCommitAsync_AnotherNodesCommit_WakesTheWaitersOfItsTopics_InCommitOrder()
    {
        await using var other = await OpenAsync();
        var pg = (PostgresVigilStore)Store;
        // The first wait starts the listener.
        var first = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        await ListeningAsync(pg, 1);
        Assert.False(first.IsCompleted, "listening is not a commit");

        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        var holds = Store.NextCommitAsync(CommitTopics.Holds, CancellationToken.None);
        var status = Store.NextCommitAsync(CommitTopics.PublicStatus, CancellationToken.None);
        await other.WriteAsync((s, c) => { s.Raise(CommitTopics.Holds); return s.Audit.AppendAsync(new AuditDraft("node-b", "silence.expire", "silence/1"), c); }, CancellationToken.None);
        await other.WriteAsync((s, c) => { s.Raise(CommitTopics.Incidents); return s.Audit.AppendAsync(new AuditDraft("node-b", "incident.open", "incident/1"), c); }, CancellationToken.None);

        await incidents.WaitAsync(TimeSpan.FromSeconds(60));
        // Notifications arrive in commit order on one connection: the Holds commit was heard before the Incidents one.
        Assert.True(holds.IsCompletedSuccessfully);
        Assert.False(status.IsCompleted, "nothing raised PublicStatus, so its waiter must still wait");
        Assert.Equal(1, pg.ListenerConnects);
    }

    [Fact]
    public async Task NextCommitAsync_ListenerConnectionKilled_ListensAgainAfterBackoff_AndWakesWaitersForWhatItMissed()
    {
        await using var other = await OpenAsync();
        var pg = (PostgresVigilStore)Store;
        var missed = Store.NextCommitAsync(CommitTopics.Notifications, CancellationToken.None);
        await ListeningAsync(pg, 1);

        await using (var admin = new NpgsqlConnection(Connection))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN " + PostgresVigilStore.NotifyChannel + "'", admin);
            Assert.Equal(1L, (long)(await kill.ExecuteScalarAsync())!);
        }

        // While it is down another node commits; the listener retries on the store's clock (1 s, doubling).
        await other.WriteAsync((s, c) => { s.Raise(CommitTopics.Notifications); return s.Audit.AppendAsync(new AuditDraft("node-b", "notify.queue", "incident/1"), c); }, CancellationToken.None);
        for (var i = 0; pg.ListenerConnects < 2; i++)
        {
            Assert.True(i < 6000, "the listener never connected again");
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        await missed.WaitAsync(TimeSpan.FromSeconds(60));
        var next = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        await other.WriteAsync((s, c) => { s.Raise(CommitTopics.Incidents); return s.Audit.AppendAsync(new AuditDraft("node-b", "incident.open", "incident/2"), c); }, CancellationToken.None);
        await next.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task WriteAsync_ThatRaisesNothing_SendsNoNotify_AndAnAbortedOneNone_EitherWay()
    {
        await using var other = await OpenAsync();
        var pg = (PostgresVigilStore)Store;
        _ = Store.NextCommitAsync(CancellationToken.None);
        await ListeningAsync(pg, 1);

        await other.RecordAsync((s, c) => Task.FromResult(0), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.WriteAsync<int>((s, c) => { s.Raise(CommitTopics.Incidents); return Task.FromResult(1); }, CancellationToken.None));
        // A marker commit after both: once it is heard, anything the two had sent would have been heard before it.
        var marker = Store.NextCommitAsync(CommitTopics.PublicStatus, CancellationToken.None);
        var incidents = Store.NextCommitAsync(CommitTopics.Incidents, CancellationToken.None);
        await other.WriteAsync((s, c) => { s.Raise(CommitTopics.PublicStatus); return s.Audit.AppendAsync(new AuditDraft("node-b", "window.create", "window/1"), c); }, CancellationToken.None);
        await marker.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(incidents.IsCompleted, "a rolled-back transaction's NOTIFY must never be delivered");
        Assert.Equal(1, pg.ListenerConnects);
    }

    private static async Task ListeningAsync(PostgresVigilStore store, long connects)
    {
        for (var i = 0; store.ListenerConnects < connects; i++)
        {
            Assert.True(i < 6000, "the commit listener never connected");
            await Task.Delay(10);
        }
    }
}
