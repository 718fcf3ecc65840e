using Vigil.Core.Audit;
using Vigil.Core.Journal;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>
/// Cluster membership and leases (migration 17) on both backends, with two store instances on one database standing for two
/// nodes on one fake clock: heartbeats, the conditional lease upsert, fencing tokens, and a fenced write refused once the lease
/// moved to another node.
/// </summary>
public abstract class ClusterRepositoryTests(Backend backend) : StoreTest(backend)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    private static Task<LeaseRecord?> AcquireAsync(IVigilStore store, string holder, string name = "leader") =>
        store.RecordAsync((s, c) => s.Cluster.TryAcquireAsync(name, holder, Ttl, c), CancellationToken.None);

    private static Task<JournalEntry> WriteAsync(IVigilStore store, string text) =>
        store.WriteAsync(async (s, c) =>
        {
            var e = await s.Journal.AddAsync(new JournalEntry(0, s.Now, "system:escalation", text, null, []), c);
            await s.Audit.AppendAsync(new AuditDraft("system:escalation", "journal.add", $"journal/{e.Id}"), c);
            return e;
        }, CancellationToken.None);

    private Task<int> JournalCountAsync() => Store.ReadAsync(async (s, c) => (await s.Journal.ListAsync(new JournalQuery(Limit: 1000), c)).Count, CancellationToken.None);

    [Fact]
    public async Task Heartbeats_InsertThenReplace_TellANewStartApart_AndOldNodesAreForgotten()
    {
        var a = new NodeRecord("a", "http://10.0.0.1:8080", "1.2.0", T0, T0, "sha256:aa");
        Assert.True(await Record((s, c) => s.Cluster.HeartbeatAsync(a, c)));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await Record((s, c) => s.Cluster.HeartbeatAsync(a with { LastHeartbeat = s.Now, ConfigDigest = "sha256:ab" }, c)));
        Assert.True(await Record((s, c) => s.Cluster.HeartbeatAsync(a with { StartedAt = s.Now, LastHeartbeat = s.Now }, c)));
        await Record((s, c) => s.Cluster.HeartbeatAsync(new NodeRecord("b", "http://10.0.0.2:8080", "1.2.0", T0, T0, "sha256:bb"), c));

        await ReopenAsync();
        var nodes = await Store.ReadAsync((s, c) => s.Cluster.ListNodesAsync(c), CancellationToken.None);
        Assert.Equal(["a", "b"], nodes.Select(n => n.Id));
        Assert.Equal((T0.AddSeconds(5), T0.AddSeconds(5), "sha256:aa"), (nodes[0].StartedAt, nodes[0].LastHeartbeat, nodes[0].ConfigDigest));
        Assert.Equal(1, await Record((s, c) => s.Cluster.ForgetNodesAsync(T0.AddSeconds(1), c)));
        Assert.Equal(["a"], (await Store.ReadAsync((s, c) => s.Cluster.ListNodesAsync(c), CancellationToken.None)).Select(n => n.Id));
    }

    [Fact]
    public async Task Lease_IsHeldByOneNode_RenewedWithTheSameToken_AndTakenOverWithTheNextTokenWithinOneTtl()
    {
        await using var nodeB = await OpenAsync();
        var first = await AcquireAsync(Store, "a");
        Assert.Equal(("a", 1L, T0 + Ttl), (first!.Holder, first.Token, first.ExpiresAt));
        Assert.Null(await AcquireAsync(nodeB, "b"));

        Time.Advance(TimeSpan.FromSeconds(5));
        var renewed = await AcquireAsync(Store, "a");
        Assert.Equal((1L, T0, T0.AddSeconds(5) + Ttl), (renewed!.Token, renewed.AcquiredAt, renewed.ExpiresAt));

        // A stops renewing: B cannot take it a moment before it lapses, and takes it as it lapses, one TTL after the last renewal.
        Time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.Null(await AcquireAsync(nodeB, "b"));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var taken = await AcquireAsync(nodeB, "b");
        Assert.Equal(("b", 2L, Time.GetUtcNow()), (taken!.Holder, taken.Token, taken.AcquiredAt));
        Assert.Null(await AcquireAsync(Store, "a"));

        // Given up, it is free at once, and the next term's token is higher still.
        await nodeB.RecordAsync(async (s, c) => { await s.Cluster.ReleaseAsync("leader", "b", 2, c); return 0; }, CancellationToken.None);
        var back = await AcquireAsync(Store, "a");
        Assert.Equal(("a", 3L), (back!.Holder, back.Token));

        // A holder whose own lease lapsed starts a new term too.
        Time.Advance(Ttl);
        Assert.Equal(4L, (await AcquireAsync(Store, "a"))!.Token);
        var leases = await Store.ReadAsync((s, c) => s.Cluster.ListLeasesAsync(c), CancellationToken.None);
        Assert.Equal(("leader", "a", 4L), (leases.Single().Name, leases.Single().Holder, leases.Single().Token));
    }

    [Fact]
    public async Task FencedWrite_OfAPausedOldLeader_IsRefused_AfterAnotherNodeTookTheLease_AndStoresNothing()
    {
        await using var nodeB = await OpenAsync();
        var lease = (await AcquireAsync(Store, "a"))!;
        var fence = new Fence(lease.Name, lease.Holder, lease.Token);
        using (WriteFence.Enter(fence))
        {
            await WriteAsync(Store, "paged step 1");
        }

        // A pauses past its lease (no renewal); B takes over.
        Time.Advance(Ttl + TimeSpan.FromSeconds(1));
        var taken = (await AcquireAsync(nodeB, "b"))!;
        Assert.Equal(2L, taken.Token);

        // A resumes and writes under its old fence: refused inside the transaction, nothing stored.
        using (WriteFence.Enter(fence))
        {
            var refused = await Assert.ThrowsAsync<LeaseLostException>(() => WriteAsync(Store, "paged step 1 again"));
            Assert.Equal(fence, refused.Fence);
            Assert.Contains("b's with token 2", refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<LeaseLostException>(() => Store.RecordAsync((s, c) => s.Cluster.ForgetNodesAsync(T0, c), CancellationToken.None));
        }

        Assert.Equal(1, await JournalCountAsync());

        // B's writes under its own fence go through; unfenced writes (intake, the API) are not affected.
        using (WriteFence.Enter(new Fence(taken.Name, taken.Holder, taken.Token)))
        {
            await WriteAsync(nodeB, "paged step 2");
        }

        await WriteAsync(Store, "an operator's entry");
        Assert.Equal(3, await JournalCountAsync());
        Assert.True((await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task FencedWrite_IsRefused_OnceTheLeaseLapsed_EvenBeforeAnotherNodeTookIt()
    {
        var lease = (await AcquireAsync(Store, "a"))!;
        Time.Advance(Ttl);
        using (WriteFence.Enter(new Fence(lease.Name, lease.Holder, lease.Token)))
        {
            await Assert.ThrowsAsync<LeaseLostException>(() => WriteAsync(Store, "late"));
        }

        Assert.Equal(0, await JournalCountAsync());
    }

    [Fact]
    public async Task TwoNodes_RacingForFreeLeases_OneWinsEach()
    {
        await using var nodeB = await OpenAsync();
        for (var i = 0; i < 20; i++)
        {
            var name = "shard-" + i;
            var results = await Task.WhenAll(AcquireAsync(Store, "a", name), AcquireAsync(nodeB, "b", name));
            var winner = Assert.Single(results, r => r is not null)!;
            Assert.Equal(1L, winner.Token);
        }

        Assert.Equal(20, (await Store.ReadAsync((s, c) => s.Cluster.ListLeasesAsync(c), CancellationToken.None)).Count);
    }

    public sealed class OnSqlite() : ClusterRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : ClusterRepositoryTests(Backend.Postgres);
}
