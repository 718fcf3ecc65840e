using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Cluster;
using Vigil.Server.Hosting;
using Vigil.Server.Http;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Server.Checks;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests;

namespace Vigil.Server.Tests.Cluster;

/// <summary>
/// Membership and the leader lease through real servers: on SQLite the one node heartbeats, leads and probes everything; on one
/// PostgreSQL database two in-process servers (on one fake clock) show as two nodes with one leader, only the leader probes the
/// checks, and when it stops the other takes the lease within one TTL and goes on probing.
/// </summary>
public sealed class ClusterTests
{
    private const string Config = """
        vigil:
          name: cluster-test
          environment: dev
          store: sqlite:ignored.db
        cluster:
          heartbeat_interval: 5s
          lease_ttl: 15s
        services:
          - id: web
            name: Web
            checks:
              - { id: health, http: { url: "http://127.0.0.1:9/health" }, every: 10s }
              - { id: port, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
        """;

    private static Task<ClusterView> ClusterAsync(TestServer server)
    {
        var client = server.Admin();
        return client.GetFromJsonAsync<ClusterView>("/api/v1/cluster", VigilJson.Options).ContinueWith(t => { client.Dispose(); return t.Result!; }, TaskScheduler.Default);
    }

    private static IVigilStore StoreOf(TestServer server) => server.App.Services.GetRequiredService<IVigilStore>();

    [Fact]
    public async Task OnSqlite_TheOneNode_Heartbeats_Leads_CountsEveryCheck_AndKeepsItsIdAcrossARestart()
    {
        var dir = new TempDirectory();
        var second = new TempDirectory();
        string id;
        await using (var server = await TestServer.StartAsync(Config, dir: dir))
        {
            var store = StoreOf(server);
            var view = await Eventually.UntilAsync(() => ClusterAsync(server), v => v.Nodes.Count == 1, store.NextCommitAsync, TimeSpan.FromSeconds(20), "the first heartbeat");
            var node = view.Nodes.Single();
            id = node.Id;
            Assert.Equal(("single", id, id), (view.Mode, view.Self, view.Leader!.Node));
            Assert.Null(view.Leader.Token);
            Assert.True(node.Live && node.Leader && node.Self && !node.DigestDrift && !view.Drift);
            Assert.Equal((2, (int?)null, true), (node.Checks, node.Shards, node.Ready));
            Assert.StartsWith("http://127.0.0.1:", node.Address, StringComparison.Ordinal);
            Assert.Equal(ServerInfo.CurrentVersion, node.Version);
            Assert.Equal(id, (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, NodeIdentity.FileName))).Trim());
            Assert.Matches("^[a-z0-9._-]+-[0-9a-f]{6}$", id);

            var json = await server.CliAsync("cluster", "status", "-o", "json");
            Assert.True(json.ExitCode == 0, json.ToString());
            Assert.Contains($"\"self\": \"{id}\"", json.Out, StringComparison.Ordinal);
            var table = await server.CliAsync("cluster", "status");
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains("single: 1 node(s), 1 live", table.Out, StringComparison.Ordinal);
            Assert.Contains($"leader  {id}", table.Out, StringComparison.Ordinal);

            var viewer = await server.CreateTokenAsync("ro", "viewer");
            using var anonymous = server.Client();
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cluster")).StatusCode);
            using var reader = server.Client(viewer);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await reader.GetAsync("/api/v1/cluster")).StatusCode);

            var audit = await server.CliAsync("audit", "tail", "-n", "50", "-o", "json");
            Assert.DoesNotContain("cluster.", audit.Out, StringComparison.Ordinal);
            CopyFolder(server.DataDirectory, second.File("data"));
        }

        await using (var again = await TestServer.StartAsync(Config, dir: second))
        {
            var view = await Eventually.UntilAsync(() => ClusterAsync(again), v => v.Nodes.Single().StartedAt > DateTimeOffset.MinValue && v.Nodes.Single().Self,
                StoreOf(again).NextCommitAsync, TimeSpan.FromSeconds(20), "the heartbeat after the restart");
            Assert.Equal(id, view.Self);
        }
    }

    private const string ShardedConfig = """
        vigil:
          name: cluster-test
          environment: dev
          store: sqlite:ignored.db
        cluster:
          heartbeat_interval: 5s
          lease_ttl: 15s
        services:
          - id: web
            name: Web
            checks:
        """;

    [Fact]
    public async Task OnPostgres_TwoNodes_ShareTheCheckShards_ProbeDisjointChecks_AndTheSurvivorTakesAllWithTheirStateWithinOneTtl()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var checkIds = Enumerable.Range(1, 16).Select(i => $"c{i:00}").ToList();
        var config = ShardedConfig + "\n" + string.Concat(checkIds.Select(id => $"          - {{ id: {id}, tcp: {{ host: 127.0.0.1, port: 9 }}, every: 10s, fail_after: 1 }}\n"));
        var failing = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var probeA = new CountingProbe(failing);
        var probeB = new CountingProbe(failing);
        var dirA = new TempDirectory();
        var dirB = new TempDirectory();
        TestServer? a = null;
        try
        {
            Directory.CreateDirectory(dirA.File("data"));
            await File.WriteAllTextAsync(dirA.File("data/" + NodeIdentity.FileName), "node-a\n");
            a = await TestServer.StartAsync(config, time, dirA, configure: o => OnPostgres(o, database, probeA));
            var storeA = StoreOf(a);
            var ownershipA = a.App.Services.GetRequiredService<CheckOwnership>();
            await Eventually.UntilAsync(() => ClusterAsync(a), v => v.Leader?.Node == "node-a" && v.Nodes.Single().Shards == 64, storeA.NextCommitAsync,
                TimeSpan.FromSeconds(20), "node-a leading and holding every shard");
            var keys = a.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Select(c => c.Definition.Key).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(16, keys.Count);

            // Node B: the same config and keys (a copy of A's data folder), an id of its own.
            CopyFolder(a.DataDirectory, dirB.File("data"));
            await File.WriteAllTextAsync(dirB.File("data/" + NodeIdentity.FileName), "node-b\n");
            await using var b = await TestServer.StartAsync(config, time, dirB, configure: o => OnPostgres(o, database, probeB));
            var storeB = StoreOf(b);
            var ownershipB = b.App.Services.GetRequiredService<CheckOwnership>();
            await Eventually.UntilAsync(() => ClusterAsync(b), v => v.Nodes.Count == 2, storeB.NextCommitAsync, TimeSpan.FromSeconds(20), "two nodes");

            // A gives up the shards B wins at its first turn that sees B live, and B takes them at its next: rendezvous over two nodes.
            await StepAsync(time, 3, a, b);
            var expectedB = Vigil.Core.Cluster.Rendezvous.ShardsOf("node-b", ["node-a", "node-b"]);
            Assert.Equal(expectedB, ownershipB.Held.Keys.Order());
            Assert.Equal(Enumerable.Range(0, 64).Except(expectedB), ownershipA.Held.Keys.Order());
            var two = await ClusterAsync(b);
            Assert.Equal(("clustered", "node-a", 0), (two.Mode, two.Leader!.Node, two.UnownedChecks));
            Assert.Equal([("node-a", true, true, 64 - expectedB.Count), ("node-b", false, true, expectedB.Count)],
                two.Nodes.Select(n => (n.Id, n.Leader, n.Ready, n.Shards!.Value)));
            var ofB = keys.Where(k => expectedB.Contains(Vigil.Core.Cluster.Rendezvous.ShardOf(k))).ToList();
            Assert.True(ofB.Count is > 0 and < 16, $"the 16 checks should split over both nodes; B wins {ofB.Count}");
            Assert.Equal((16 - ofB.Count, ofB.Count), (two.Nodes[0].Checks, two.Nodes[1].Checks));

            // A check of A's fails, and A records the change. Then 20 s: each node probes its own checks and none of the other's.
            var moving = keys.First(k => !ofB.Contains(k));
            failing[moving.Split('/', '.').Last()] = true;
            probeA.Checks.Clear();
            probeB.Checks.Clear();
            await StepAsync(time, 4, a, b);
            await Eventually.UntilAsync(() => Task.FromResult(probeA.Checks.Count + probeB.Checks.Count), n => n == 16, probeA.NextAsync, TimeSpan.FromSeconds(20), "every check probed");
            Assert.Equal(keys.Except(ofB).Select(Id).Order(), probeA.Checks.Keys.Order());
            Assert.Equal(ofB.Select(Id).Order(), probeB.Checks.Keys.Order());
            var snapA = a.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single(c => c.Definition.Key == moving);
            Assert.True(snapA.Status.State == HealthState.Critical, $"{moving} on A: {snapA.Status}; probes {string.Join(",", probeA.Checks)}");
            await a.App.Services.GetRequiredService<CheckStateWriter>().DrainNowAsync(CancellationToken.None);
            var changes = await ChangesAsync(storeA, moving, time);
            Assert.Equal(HealthState.Critical, changes[0].To);

            // A stops (and gives its leases up); B takes every shard and the lead at its next turn.
            await a.DisposeAsync();
            a = null;
            var steps = 0;
            while (ownershipB.Held.Count < 64 && steps < 3)
            {
                await StepAsync(time, 1, b);
                steps++;
            }

            Assert.Equal(64, ownershipB.Held.Count);
            Assert.True(b.App.Services.GetRequiredService<Leadership>().IsLeader, "node-b did not take the lead within one TTL");

            // B read the moved checks' state before probing them: the failing check goes on failing without a second change.
            probeB.Checks.Clear();
            await StepAsync(time, 3, b);
            await Eventually.UntilAsync(() => Task.FromResult(probeB.Checks.Count), n => n == 16, probeB.NextAsync, TimeSpan.FromSeconds(20), "node-b probing every check");
            await b.App.Services.GetRequiredService<CheckStateWriter>().DrainNowAsync(CancellationToken.None);
            Assert.Equal(changes, await ChangesAsync(storeB, moving, time));
            var snapshot = b.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single(c => c.Definition.Key == moving);
            Assert.Equal(HealthState.Critical, snapshot.Status.State);

            // One TTL after its last heartbeat the stopped node shows dead.
            await StepAsync(time, 3, b);
            var after = await ClusterAsync(b);
            Assert.Equal(("node-b", 2L), (after.Leader!.Node, after.Leader.Token));
            Assert.Equal([("node-a", false, 0, 0), ("node-b", true, 64, 16)], after.Nodes.Select(n => (n.Id, n.Live, n.Shards!.Value, n.Checks)));

            var status = await b.CliAsync("cluster", "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("clustered: 2 node(s), 1 live", status.Out, StringComparison.Ordinal);
            Assert.Contains("leader  node-b (token 2", status.Out, StringComparison.Ordinal);

            var audit = await b.CliAsync("audit", "tail", "-n", "200", "-o", "json");
            Assert.Contains("node/node-a", audit.Out, StringComparison.Ordinal);
            Assert.Contains("cluster.lease.acquire", audit.Out, StringComparison.Ordinal);
            Assert.Contains("cluster.shards", audit.Out, StringComparison.Ordinal);

            var verify = await b.CliAsync("audit", "verify");
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }
        finally
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }

            dirA.Dispose();
            dirB.Dispose();
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task OnPostgres_TheLeaderEndsTheRunsOfADeadNodeAsInterrupted_AndAStartingNodeLeavesOtherNodesRunsAlone()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var dir = new TempDirectory();
        try
        {
            // Before node-a starts, two other nodes have runs in flight: node-b keeps heartbeating, node-c stops.
            var request = new Vigil.Core.Runbooks.RunRequest("deploy", "runbooks/deploy.md", "release", "web", "dev", new Dictionary<string, string>(), "api", true, [],
                false, null, null, null);
            long ofB, ofC;
            await using (var seed = new PostgresVigilStore(PostgresTarget.Resolve(null, n => n == PostgresTarget.UrlVariable ? database : null).Target!, time))
            {
                await seed.MigrateAsync(CancellationToken.None);
                await HeartbeatAsync(seed, "node-b", time);
                await HeartbeatAsync(seed, "node-c", time);
                (ofB, ofC) = await seed.RecordAsync(async (s, c) =>
                    ((await s.Runbooks.InsertRunAsync(request, Vigil.Core.Runbooks.RunStatus.Running, "alice", s.Now, null, "node-b", c)).Id,
                     (await s.Runbooks.InsertRunAsync(request, Vigil.Core.Runbooks.RunStatus.Waiting, "bob", s.Now, null, "node-c", c)).Id), CancellationToken.None);
            }

            Directory.CreateDirectory(dir.File("data"));
            await File.WriteAllTextAsync(dir.File("data/" + NodeIdentity.FileName), "node-a\n");
            await using var a = await TestServer.StartAsync(Config, time, dir, configure: o => OnPostgres(o, database, new CountingProbe()));
            var store = StoreOf(a);
            Assert.Equal(Vigil.Core.Runbooks.RunStatus.Running, (await RunAsync(store, ofB)).Status);
            Assert.Equal(Vigil.Core.Runbooks.RunStatus.Waiting, (await RunAsync(store, ofC)).Status);
            await Eventually.UntilAsync(() => ClusterAsync(a), v => v.Leader?.Node == "node-a", store.NextCommitAsync, TimeSpan.FromSeconds(20), "node-a leading");

            // 20 s (more than one TTL): node-b heartbeats on, node-c does not.
            for (var i = 0; i < 4; i++)
            {
                await HeartbeatAsync(store, "node-b", time);
                await StepAsync(time, 1, a);
            }

            var c = await Eventually.UntilAsync(() => RunAsync(store, ofC), r => r.IsFinished, store.NextCommitAsync, TimeSpan.FromSeconds(20), "node-c's run ending");
            Assert.Equal(Vigil.Core.Runbooks.RunStatus.Interrupted, c.Status);
            Assert.Contains("node node-c, which executed the run, stopped heartbeating", c.Error, StringComparison.Ordinal);
            Assert.Equal(Vigil.Core.Runbooks.RunStatus.Running, (await RunAsync(store, ofB)).Status);

            var audit = await a.CliAsync("audit", "tail", "-n", "50", "-o", "json");
            Assert.Contains("system:node/node-a", audit.Out, StringComparison.Ordinal);
            Assert.Contains($"runbook-run/{ofC}", audit.Out, StringComparison.Ordinal);
        }
        finally
        {
            dir.Dispose();
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task OnPostgres_HeartbeatPingsToTheNodeThatDoesNotProbeTheCheck_ReachTheNodeThatDoes()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var config = ShardedConfig + "\n" + "          - { id: nightly, heartbeat: { period: 1m, grace: 30s }, every: 10s }\n";
        var dirA = new TempDirectory();
        var dirB = new TempDirectory();
        try
        {
            var (a, b) = await TwoNodesAsync(config, time, database, dirA, dirB, new CountingProbe(), new CountingProbe());
            await using var disposeA = a;
            await using var disposeB = b;

            var key = a.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single().Definition.Key;
            var (owner, other) = a.App.Services.GetRequiredService<CheckOwnership>().Owns(key) ? (a, b) : (b, a);
            Assert.True(owner.App.Services.GetRequiredService<CheckOwnership>().Owns(key));
            Assert.False(other.App.Services.GetRequiredService<CheckOwnership>().Owns(key));
            var token = other.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single().HeartbeatToken;
            using var anonymous = other.Client();

            // Three minutes of a job that pings every 20 s, always through the node that does not evaluate the check.
            for (var i = 0; i < 9; i++)
            {
                using var response = await anonymous.PostAsync($"/api/v1/heartbeats/{token}", null);
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                await StepAsync(time, 4, a, b);
            }

            await owner.App.Services.GetRequiredService<CheckStateWriter>().DrainNowAsync(CancellationToken.None);
            var state = owner.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single();
            Assert.True(state.Status.State == HealthState.Ok, $"the owner sees {state.Status.State}: {state.Status.LastResult?.Message}");
            Assert.DoesNotContain(await ChangesAsync(StoreOf(owner), key, time), c => c.To != HealthState.Ok);

            // The job stops pinging: the owner finds it missing after period + grace.
            await StepAsync(time, 24, a, b);
            await Eventually.UntilAsync(() => Task.FromResult(owner.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single().Status.State),
                st => st == HealthState.Critical, StoreOf(owner).NextCommitAsync, TimeSpan.FromSeconds(20), "the missed heartbeat detected");
        }
        finally
        {
            dirA.Dispose();
            dirB.Dispose();
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task OnPostgres_APauseThroughTheOtherNode_StopsTheProbingNode_AndItsStatusFlushesDoNotUndoIt()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var config = ShardedConfig + "\n" + "          - { id: solo, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }\n";
        var probeA = new CountingProbe();
        var probeB = new CountingProbe();
        var dirA = new TempDirectory();
        var dirB = new TempDirectory();
        try
        {
            var (a, b) = await TwoNodesAsync(config, time, database, dirA, dirB, probeA, probeB);
            await using var disposeA = a;
            await using var disposeB = b;

            var key = a.App.Services.GetRequiredService<CheckRegistry>().Snapshot().Single().Definition.Key;
            var (owner, other, ownerProbe) = a.App.Services.GetRequiredService<CheckOwnership>().Owns(key) ? (a, b, probeA) : (b, a, probeB);
            var ownerChecks = owner.App.Services.GetRequiredService<CheckRegistry>();
            await StepAsync(time, 2, a, b);
            await Eventually.UntilAsync(() => Task.FromResult(ownerProbe.Checks.GetValueOrDefault("solo")), n => n > 0, ownerProbe.NextAsync, TimeSpan.FromSeconds(20), "the owner probing");

            using var admin = other.Admin();
            using (var response = await admin.PostAsync($"/api/v1/checks/{key}/pause", JsonContent.Create(new { reason = "migrating the database" })))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }

            await Eventually.UntilAsync(() => Task.FromResult(ownerChecks.Snapshot().Single().Status.Paused), p => p, ct => Task.Delay(20, ct),
                TimeSpan.FromSeconds(20), "the owner following the pause");
            var probes = ownerProbe.Checks["solo"];
            await StepAsync(time, 6, a, b);
            await owner.App.Services.GetRequiredService<CheckHistoryFlusher>().FlushNowAsync(CancellationToken.None);
            Assert.Equal(probes, ownerProbe.Checks["solo"]);
            var stored = (await StoreOf(owner).ReadAsync((s, c) => s.Checks.ListStatusAsync(c), CancellationToken.None)).Single();
            Assert.True(stored.Status.Paused, "the owner's flush undid the pause");
            Assert.Equal("migrating the database", stored.PausedReason);
            Assert.Equal("migrating the database", ownerChecks.Snapshot().Single().PausedReason);
        }
        finally
        {
            dirA.Dispose();
            dirB.Dispose();
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    /// <summary>Node A (leading), then node B with a copy of A's data folder (same keys), both on one database, after the shards settled.</summary>
    private static async Task<(TestServer A, TestServer B)> TwoNodesAsync(string config, FakeTimeProvider time, string database, TempDirectory dirA,
        TempDirectory dirB, ICheckProbe probeA, ICheckProbe probeB)
    {
        Directory.CreateDirectory(dirA.File("data"));
        await File.WriteAllTextAsync(dirA.File("data/" + NodeIdentity.FileName), "node-a\n");
        var a = await TestServer.StartAsync(config, time, dirA, configure: o => OnPostgres(o, database, probeA));
        await Eventually.UntilAsync(() => ClusterAsync(a), v => v.Leader?.Node == "node-a", StoreOf(a).NextCommitAsync, TimeSpan.FromSeconds(20), "node-a leading");
        CopyFolder(a.DataDirectory, dirB.File("data"));
        await File.WriteAllTextAsync(dirB.File("data/" + NodeIdentity.FileName), "node-b\n");
        var b = await TestServer.StartAsync(config, time, dirB, configure: o => OnPostgres(o, database, probeB));
        await Eventually.UntilAsync(() => ClusterAsync(b), v => v.Nodes.Count == 2, StoreOf(b).NextCommitAsync, TimeSpan.FromSeconds(20), "two nodes");
        await StepAsync(time, 3, a, b);
        return (a, b);
    }

    private static Task HeartbeatAsync(IVigilStore store, string node, TimeProvider time) =>
        store.RecordAsync(async (s, c) => await s.Cluster.HeartbeatAsync(new NodeRecord(node, "http://127.0.0.1:1", "test", time.GetUtcNow(), s.Now, "d"), c),
            CancellationToken.None);

    private static async Task<Vigil.Core.Runbooks.RunbookRun> RunAsync(IVigilStore store, long id) =>
        (await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), CancellationToken.None))!;

    private static string Id(string key) => key.Split('/', '.').Last();

    private static Task<IReadOnlyList<StateChange>> ChangesAsync(IVigilStore store, string key, TimeProvider time) =>
        store.ReadAsync((s, c) => s.Checks.ListChangesAsync(key, time.GetUtcNow().AddDays(-1), 100, c), CancellationToken.None);

    /// <summary>Moves the clock by a third of the TTL <paramref name="count"/> times, each time until every node's cluster loop has turned.</summary>
    private static async Task StepAsync(FakeTimeProvider time, int count, params TestServer[] nodes)
    {
        for (var i = 0; i < count; i++)
        {
            var turns = nodes.Select(n => n.App.Services.GetRequiredService<ClusterNode>().NextTurnAsync(CancellationToken.None)).ToList();
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAll(turns).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>A probe that answers ok and records which checks it probed, with a signal per probe.</summary>
    private sealed class CountingProbe(System.Collections.Concurrent.ConcurrentDictionary<string, bool>? failing = null) : ICheckProbe
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Checks { get; } = new();

        public Task NextAsync(CancellationToken ct) => Volatile.Read(ref _next).Task.WaitAsync(ct);

        public Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
        {
            Checks.AddOrUpdate(check.Id, 1, (_, n) => n + 1);
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Task.FromResult(failing?.ContainsKey(check.Id) == true
                ? ProbeResult.Critical(FailureReason.Connect, TimeSpan.FromMilliseconds(3), "refused")
                : ProbeResult.Ok(TimeSpan.FromMilliseconds(3), "ok"));
        }
    }

    private static ServerOptions OnPostgres(ServerOptions o, string connectionString, ICheckProbe probe) => o with
    {
        Probe = probe,
        Environment = name => name == PostgresTarget.UrlVariable ? connectionString : null,
    };

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) is not ("vigil.lock" or "vigil.pid")))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
