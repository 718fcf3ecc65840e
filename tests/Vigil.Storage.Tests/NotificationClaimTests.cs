using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>
/// Claims on due notifications (the delivery ledger): a claimed notification is not handed to another sender until its
/// claim runs out or its attempt is recorded; on PostgreSQL two nodes claiming at once get disjoint rows (SKIP LOCKED).
/// </summary>
public abstract class NotificationClaimTests(Backend backend) : StoreTest(backend)
{
    private static readonly TimeSpan Claim = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Claim_TakesDueUnclaimedOnes_ThenNoneUntilTheClaimRunsOut()
    {
        Assert.False(await AnyClaimableAsync()); // nothing queued
        var ids = await AddAsync(3, due: T0);
        await AddAsync(1, due: T0.AddMinutes(5));

        // The read that spares a sender the write lock answers as the claim would, at every step.
        Assert.True(await AnyClaimableAsync());
        var first = await ClaimAsync(Store, "node-a", 10);
        Assert.False(await AnyClaimableAsync());
        var second = await ClaimAsync(Store, "node-b", 10);
        Time.Advance(Claim - TimeSpan.FromSeconds(1));
        Assert.False(await AnyClaimableAsync());
        var stillHeld = await ClaimAsync(Store, "node-b", 10);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await AnyClaimableAsync());
        var runOut = await ClaimAsync(Store, "node-b", 10);

        Assert.Equal(ids, first.Select(n => n.Id));
        Assert.Empty(second);
        Assert.Empty(stillHeld);
        Assert.Equal(ids, runOut.Select(n => n.Id));
    }

    [Fact]
    public async Task RecordingTheAttempt_EndsTheClaim_SoARetryIsClaimableWhenItIsDue()
    {
        var id = Assert.Single(await AddAsync(1, due: T0));
        var claimed = Assert.Single(await ClaimAsync(Store, "node-a", 10));

        await Store.RecordAsync(async (s, c) =>
        {
            await s.Paging.UpdateNotificationAsync(claimed with { Attempts = 1, NextAttemptAt = s.Now.AddSeconds(5), UpdatedAt = s.Now }, c);
            return 0;
        }, CancellationToken.None);
        var beforeRetry = await ClaimAsync(Store, "node-b", 10);
        Time.Advance(TimeSpan.FromSeconds(5));
        var retry = await ClaimAsync(Store, "node-b", 10);

        Assert.Empty(beforeRetry);
        Assert.Equal(id, Assert.Single(retry).Id);
        Assert.Equal(1, retry[0].Attempts);
    }

    [Fact]
    public async Task Claim_TakesAtMostTheLimit_OldestDueFirst()
    {
        var late = await AddAsync(2, due: T0);
        var early = await AddAsync(2, due: T0.AddSeconds(-30));

        var claimed = await ClaimAsync(Store, "node-a", 3);

        Assert.Equal(early.Append(late[0]), claimed.Select(n => n.Id));
    }

    [Fact]
    public async Task TwoNodesClaimingAtOnce_GetDisjointRows_AndTogetherAll()
    {
        var ids = await AddAsync(60, due: T0);
        await using var other = await OpenAsync();
        var a = new List<long>();
        var b = new List<long>();

        await Task.WhenAll(Drain(Store, "node-a", a), Drain(other, "node-b", b));

        Assert.Empty(a.Intersect(b));
        Assert.Equal(ids.Order(), a.Concat(b).Order());

        static async Task Drain(IVigilStore store, string node, List<long> got)
        {
            while (true)
            {
                var claimed = await ClaimAsync(store, node, 4);
                if (claimed.Count == 0)
                {
                    return;
                }

                got.AddRange(claimed.Select(n => n.Id));
                await Task.Yield();
            }
        }
    }

    private Task<bool> AnyClaimableAsync() => Store.ReadAsync((s, c) => s.Paging.AnyClaimableNotificationAsync(s.Now, c), CancellationToken.None);

    private static Task<IReadOnlyList<NotificationRecord>> ClaimAsync(IVigilStore store, string node, int limit) =>
        store.ClaimAsync((s, c) => s.Paging.ClaimDueNotificationsAsync(s.Now, s.Now + Claim, node, limit, c), CancellationToken.None);

    private Task<List<long>> AddAsync(int count, DateTimeOffset due) =>
        Store.RecordAsync(async (s, c) =>
        {
            var incident = await s.Incidents.InsertAsync(new Incident(0, "db down", "P1", "db", IncidentStatus.Triggered, "g:" + Guid.NewGuid(), "test", T0,
                null, null, null, null, null, null, true, 0, null, null, null, null, new Dictionary<string, string>()), c);
            var ids = new List<long>();
            for (var i = 0; i < count; i++)
            {
                var n = await s.Paging.AddNotificationAsync(new NotificationRecord(0, $"{incident.Id}:{Guid.NewGuid():N}", incident.Id, NotificationKind.Trigger, 0, 0,
                    "person:ada", "pager", "ada", NotificationState.Pending, 0, due, T0, T0, null), c);
                ids.Add(n!.Id);
            }

            return ids;
        }, CancellationToken.None);

    public sealed class OnSqlite() : NotificationClaimTests(Backend.Sqlite);

    public sealed class OnPostgres() : NotificationClaimTests(Backend.Postgres);
}
