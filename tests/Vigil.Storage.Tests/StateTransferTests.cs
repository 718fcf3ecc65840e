using Vigil.Core.Audit;
using Vigil.Core.Export;
using Vigil.Core.Journal;

namespace Vigil.Storage.Tests;

/// <summary>
/// Export and import at the store contract (IStateTransfer): every section read from one store is inserted verbatim into a fresh one,
/// reads back the same, the audit chain verifies there, and new rows get ids after the imported ones (PostgreSQL's identity sequences move on).
/// </summary>
public abstract class StateTransferTests(Backend backend) : StoreTest(backend)
{
    [Fact]
    public async Task EverySection_CopiesVerbatim_AndNewIdsFollowTheImportedOnes()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.WriteAsync(async (s, c) =>
            {
                var e = await s.Journal.AddAsync(new JournalEntry(0, s.Now, "ana", $"entry {i}", i == 0 ? null : "api", ["t" + i]), c);
                return await s.Audit.AppendAsync(new AuditDraft("ana", "journal.add", $"journal/{e.Id}", null, null, null), c);
            }, CancellationToken.None);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var source = await ReadAllAsync(Store);
        await using var targetDb = await StoreDatabase.CreateAsync(Backend);
        await using var target = targetDb.NewStore(Time);
        await target.MigrateAsync(CancellationToken.None);
        foreach (var section in ExportSections.All)
        {
            Assert.Equal(0, await target.ReadAsync((s, c) => s.Transfer.CountAsync(section, c), CancellationToken.None));
        }

        await target.WriteAsync(async (s, c) =>
        {
            foreach (var section in ExportSections.All)
            {
                foreach (var row in source[section.Name])
                {
                    await s.Transfer.InsertAsync(section, section.Columns, row, c);
                }

                await s.Transfer.AfterImportAsync(section, c);
            }

            return await s.Audit.AppendAsync(new AuditDraft("system:import", "state.import", "export/test"), c);
        }, CancellationToken.None);

        var copied = await ReadAllAsync(target);
        foreach (var section in ExportSections.All.Where(s => s.Name is not (ExportSections.AuditLog or ExportSections.AuditHead)))
        {
            Assert.Equal(source[section.Name], copied[section.Name]);
        }

        Assert.Equal(source[ExportSections.AuditLog], copied[ExportSections.AuditLog].Take(3));
        Assert.True((await target.ReadAsync((s, c) => s.Audit.VerifyAsync(c), CancellationToken.None)).Ok);

        var next = await target.WriteAsync(async (s, c) =>
        {
            var e = await s.Journal.AddAsync(new JournalEntry(0, s.Now, "ana", "after import", null, []), c);
            await s.Audit.AppendAsync(new AuditDraft("ana", "journal.add", $"journal/{e.Id}", null, null, null), c);
            return e;
        }, CancellationToken.None);
        Assert.Equal(4, next.Id);
    }

    private static async Task<Dictionary<string, List<object?[]>>> ReadAllAsync(Core.Storage.IVigilStore store) =>
        await store.ReadAsync(async (s, c) =>
        {
            var all = new Dictionary<string, List<object?[]>>(StringComparer.Ordinal);
            foreach (var section in ExportSections.All)
            {
                var rows = new List<object?[]>();
                await foreach (var row in s.Transfer.ReadAsync(section, c))
                {
                    rows.Add(row);
                }

                all[section.Name] = rows;
            }

            return all;
        }, CancellationToken.None);

    public sealed class OnSqlite() : StateTransferTests(Backend.Sqlite);

    public sealed class OnPostgres() : StateTransferTests(Backend.Postgres);
}
