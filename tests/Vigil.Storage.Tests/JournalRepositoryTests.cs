using Vigil.Core.Audit;
using Vigil.Core.Journal;

namespace Vigil.Storage.Tests;

/// <summary>The ops journal (migration 15) through the store contract on a real SQLite file: filters, tags, and kept across a reopen.</summary>
public abstract class JournalRepositoryTests(Backend backend) : StoreTest(backend)
{
    private Task<JournalEntry> AddAsync(string text, string? service, params string[] tags) =>
        Store.WriteAsync(async (s, c) =>
        {
            var e = await s.Journal.AddAsync(new JournalEntry(0, s.Now, "ana", text, service, tags), c);
            await s.Audit.AppendAsync(new AuditDraft("ana", "journal.add", $"journal/{e.Id}", null, null, null), c);
            return e;
        }, CancellationToken.None);

    private Task<IReadOnlyList<JournalEntry>> ListAsync(JournalQuery query) => Store.ReadAsync((s, c) => s.Journal.ListAsync(query, c), CancellationToken.None);

    [Fact]
    public async Task Entries_FilterByTimeServiceAndTag_NewestFirst_WithTheirTags_AndSurviveAReopen()
    {
        var a = await AddAsync("deployed api 1.4", "api", "deploy", "planned", "deploy");
        Time.Advance(TimeSpan.FromMinutes(10));
        var b = await AddAsync("flushed web cache", "web", "cache");
        Time.Advance(TimeSpan.FromMinutes(10));
        var c = await AddAsync("handover", null);

        Assert.Equal(["deploy", "planned"], a.Tags);
        Assert.Equal([c.Id, b.Id, a.Id], (await ListAsync(new JournalQuery())).Select(e => e.Id));
        Assert.Equal([c.Id, b.Id], (await ListAsync(new JournalQuery(Since: T0.AddMinutes(10)))).Select(e => e.Id));
        Assert.Equal([b.Id, a.Id], (await ListAsync(new JournalQuery(Until: T0.AddMinutes(10)))).Select(e => e.Id));
        Assert.Equal([a.Id], (await ListAsync(new JournalQuery(Service: "api"))).Select(e => e.Id));
        Assert.Equal([b.Id], (await ListAsync(new JournalQuery(Tag: "cache"))).Select(e => e.Id));
        Assert.Empty(await ListAsync(new JournalQuery(Service: "api", Tag: "cache")));
        Assert.Equal([c.Id], (await ListAsync(new JournalQuery(Limit: 1))).Select(e => e.Id));

        await ReopenAsync();
        var again = (await ListAsync(new JournalQuery(Service: "api"))).Single();
        Assert.Equal(("deployed api 1.4", "ana", T0), (again.Text, again.Author, again.At));
        Assert.Equal(["deploy", "planned"], again.Tags);
        Assert.True((await Store.ReadAsync((s, ct) => s.Audit.VerifyAsync(ct), CancellationToken.None)).Ok);
    }

    public sealed class OnSqlite() : JournalRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : JournalRepositoryTests(Backend.Postgres);
}
