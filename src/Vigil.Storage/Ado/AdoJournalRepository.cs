using System.Globalization;
using System.Text;
using Vigil.Core.Journal;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoJournalRepository(DbScope db) : IJournalRepository
{
    public async Task<JournalEntry> AddAsync(JournalEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = Convert.ToInt64(await Db.ScalarAsync(db, "INSERT INTO journal (at, author, text, service) VALUES (@at, @a, @t, @s) RETURNING id", ct,
            ("@at", Db.Millis(entry.At)), ("@a", entry.Author), ("@t", entry.Text), ("@s", entry.Service)), CultureInfo.InvariantCulture);
        var tags = entry.Tags.Distinct(StringComparer.Ordinal).ToList();
        foreach (var tag in tags)
        {
            await Db.ExecuteAsync(db, "INSERT INTO journal_tags (entry_id, tag) VALUES (@i, @tag)", ct, ("@i", id), ("@tag", tag));
        }

        return entry with { Id = id, At = DateTimeOffset.FromUnixTimeMilliseconds(Db.Millis(entry.At)), Tags = tags };
    }

    public async Task<IReadOnlyList<JournalEntry>> ListAsync(JournalQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT id, at, author, text, service FROM journal WHERE 1 = 1");
        var ps = new List<(string, object?)>();
        if (query.Since is { } since)
        {
            sql.Append(" AND at >= @since");
            ps.Add(("@since", Db.Millis(since)));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND at <= @until");
            ps.Add(("@until", Db.Millis(until)));
        }

        if (query.Service is { } service)
        {
            sql.Append(" AND service = @service");
            ps.Add(("@service", service));
        }

        if (query.Tag is { } tag)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM journal_tags t WHERE t.entry_id = journal.id AND t.tag = @tag)");
            ps.Add(("@tag", tag));
        }

        sql.Append(" ORDER BY at DESC, id DESC LIMIT @limit");
        ps.Add(("@limit", Math.Clamp(query.Limit, 1, JournalRules.MaxLimit)));
        var rows = await Db.QueryAsync(db, sql.ToString(), r => new JournalEntry(r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.NullableString(4), []),
            ct, [.. ps]);
        if (rows.Count == 0)
        {
            return rows;
        }

        var ids = string.Join(", ", rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        var tags = (await Db.QueryAsync(db, $"SELECT entry_id, tag FROM journal_tags WHERE entry_id IN ({ids}) ORDER BY tag", r => (Id: r.GetInt64(0), Tag: r.GetString(1)), ct))
            .ToLookup(t => t.Id, t => t.Tag);
        return rows.Select(r => r with { Tags = tags[r.Id].ToList() }).ToList();
    }
}
