using System.Data.Common;
using System.Globalization;
using System.Text;
using Vigil.Core.Backups;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoBackupRepository(DbScope db) : IBackupRepository
{
    private const string Columns = "id, job, created_at, status, destination, manifest, error, verified_at, verify_ok, verify_error, pruned_at";

    public Task InsertAsync(BackupRecord backup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return Db.ExecuteAsync(db, $"""
            INSERT INTO backups ({Columns}) VALUES (@id, @job, @at, @st, @dest, @man, @err, @vat, @vok, @verr, @pat)
            """, ct, Params(backup));
    }

    public Task UpdateAsync(BackupRecord backup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return Db.ExecuteAsync(db, """
            UPDATE backups SET status = @st, manifest = @man, error = @err, verified_at = @vat, verify_ok = @vok, verify_error = @verr, pruned_at = @pat
            WHERE id = @id
            """, ct, Params(backup));
    }

    public async Task<BackupRecord?> GetAsync(string id, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {Columns} FROM backups WHERE id = @id", Map, ct, ("@id", id))).FirstOrDefault();

    public async Task<IReadOnlyList<BackupRecord>> ListAsync(string? job, bool includePruned, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db, $"""
            SELECT {Columns} FROM backups
            WHERE (job = @job OR @job IS NULL) AND (@pruned = 1 OR status <> 'pruned')
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """, Map, ct, ("@job", job), ("@pruned", includePruned ? 1 : 0), ("@limit", limit));

    public async Task<BackupEvent> AddEventAsync(BackupEvent e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        var id = Convert.ToInt64(await Db.ScalarAsync(db, """
            INSERT INTO backup_events (job, backup_id, kind, at, ok, detail) VALUES (@job, @b, @k, @at, @ok, @d) RETURNING id
            """, ct, ("@job", e.Job), ("@b", e.BackupId), ("@k", e.Kind), ("@at", Db.Millis(e.At)), ("@ok", e.Ok ? 1 : 0), ("@d", e.Detail)), CultureInfo.InvariantCulture);
        return e with { Id = id };
    }

    public async Task<IReadOnlyList<BackupEvent>> ListEventsAsync(string? job, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db, """
            SELECT id, job, backup_id, kind, at, ok, detail FROM backup_events WHERE (job = @job OR @job IS NULL) ORDER BY id DESC LIMIT @limit
            """, r => new BackupEvent(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.GetString(3), r.Time(4), r.GetInt64(5) != 0, r.GetString(6)),
            ct, ("@job", job), ("@limit", limit));

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> NewestVerifiedAsync(CancellationToken ct)
    {
        var rows = await Db.QueryAsync(db, """
            SELECT job, MAX(created_at) FROM backups WHERE status = 'completed' AND verify_ok = 1 GROUP BY job
            """, r => (Job: r.GetString(0), At: r.Time(1)), ct);
        return rows.ToDictionary(r => r.Job, r => r.At, StringComparer.Ordinal);
    }

    private static (string, object?)[] Params(BackupRecord b) =>
    [
        ("@id", b.Id), ("@job", b.Job), ("@at", Db.Millis(b.CreatedAt)), ("@st", StatusName(b.Status)), ("@dest", b.Destination),
        ("@man", b.Manifest is { } m ? Encoding.UTF8.GetString(m.ToJson()) : null), ("@err", b.Error),
        ("@vat", b.VerifiedAt is { } v ? Db.Millis(v) : null), ("@vok", b.VerifyOk is { } ok ? (ok ? 1 : 0) : null), ("@verr", b.VerifyError),
        ("@pat", b.PrunedAt is { } p ? Db.Millis(p) : null),
    ];

    private static string StatusName(BackupStatus s) => s switch
    {
        BackupStatus.Completed => "completed",
        BackupStatus.Failed => "failed",
        _ => "pruned",
    };

    private static BackupRecord Map(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.Time(2),
        r.GetString(3) switch { "completed" => BackupStatus.Completed, "failed" => BackupStatus.Failed, _ => BackupStatus.Pruned },
        r.GetString(4),
        r.IsDBNull(5) ? null : BackupManifest.TryParse(Encoding.UTF8.GetBytes(r.GetString(5)), out _),
        r.NullableString(6), r.NullableTime(7), r.IsDBNull(8) ? null : r.GetInt64(8) != 0, r.NullableString(9), r.NullableTime(10));
}
