using Vigil.Core.Audit;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>Acknowledge links (migration 16) through the store contract: one key per installation whoever writes first, and each link used once.</summary>
public abstract class AckLinkRepositoryTests(Backend backend) : StoreTest(backend)
{
    private Task<bool> ConsumeAsync(string tokenId, string person) =>
        Store.RecordAsync(async (s, c) =>
        {
            var fresh = await s.AckLinks.ConsumeAsync(new AckLinkUse(tokenId, 7, person, s.Now), c);
            if (fresh)
            {
                await s.Audit.AppendAsync(new AuditDraft(person, "incident.acknowledge", "incident/7", "ack link", null, null), c);
            }

            return fresh;
        }, CancellationToken.None);

    [Fact]
    public async Task Key_FirstWriterWins_AndEveryStoreInstanceReadsIt()
    {
        Assert.Null(await Store.ReadAsync((s, c) => s.AckLinks.GetKeyAsync(c), CancellationToken.None));
        Assert.True(await Store.RecordAsync((s, c) => s.AckLinks.AddKeyAsync("first-key", s.Now, c), CancellationToken.None));

        // Another node that raced for it keeps nothing of its own.
        await using var other = await OpenAsync();
        Assert.False(await other.RecordAsync((s, c) => s.AckLinks.AddKeyAsync("second-key", s.Now, c), CancellationToken.None));
        Assert.Equal("first-key", await other.ReadAsync((s, c) => s.AckLinks.GetKeyAsync(c), CancellationToken.None));

        await ReopenAsync();
        Assert.Equal("first-key", await Store.ReadAsync((s, c) => s.AckLinks.GetKeyAsync(c), CancellationToken.None));
    }

    [Fact]
    public async Task Consume_OnlyTheFirstUseCounts_AndARolledBackUseLeavesTheLinkUnused()
    {
        Assert.Null(await Store.ReadAsync((s, c) => s.AckLinks.FindUseAsync("t1", c), CancellationToken.None));

        // A use whose transaction fails after consuming (the acknowledgement was refused, say) is not recorded.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync<bool>(async (s, c) =>
        {
            Assert.True(await s.AckLinks.ConsumeAsync(new AckLinkUse("t1", 7, "alice", s.Now), c));
            throw new InvalidOperationException("refused after consuming");
        }, CancellationToken.None));
        Assert.Null(await Store.ReadAsync((s, c) => s.AckLinks.FindUseAsync("t1", c), CancellationToken.None));

        Assert.True(await ConsumeAsync("t1", "alice"));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await ConsumeAsync("t1", "alice"));
        await using var other = await OpenAsync();
        Assert.False(await other.RecordAsync((s, c) => s.AckLinks.ConsumeAsync(new AckLinkUse("t1", 7, "bob", s.Now), c), CancellationToken.None));
        Assert.True(await ConsumeAsync("t2", "bob"));

        await ReopenAsync();
        Assert.Equal(new AckLinkUse("t1", 7, "alice", T0), await Store.ReadAsync((s, c) => s.AckLinks.FindUseAsync("t1", c), CancellationToken.None));
        Assert.Equal("bob", (await Store.ReadAsync((s, c) => s.AckLinks.FindUseAsync("t2", c), CancellationToken.None))!.PersonId);
        Assert.True((await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None)).Ok);
    }

    public sealed class OnSqlite() : AckLinkRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : AckLinkRepositoryTests(Backend.Postgres);
}
