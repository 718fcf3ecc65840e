using System.Data.Common;
using System.Globalization;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoDrillRepository(DbScope db) : IDrillRepository
{
    private const string Columns = "id, runbook, service, status, requested_by, started_at, injected_at, detected_at, recovered_at, ended_at, rto_ms, "
        + "incident_id, window_id, inject_run_id, recover_run_id, verify_run_id, reason";

    public async Task<DrillRecord> InsertAsync(DrillRecord drill, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var id = Convert.ToInt64(await Db.ScalarAsync(db, """
            INSERT INTO drills (runbook, service, status, requested_by, started_at, rto_ms, reason)
            VALUES (@rb, @svc, @st, @by, @at, @rto, @why) RETURNING id
            """, ct, ("@rb", drill.Runbook), ("@svc", drill.Service), ("@st", Name(drill.Status)), ("@by", drill.RequestedBy),
            ("@at", Db.Millis(drill.StartedAt)), ("@rto", (long)drill.Rto.TotalMilliseconds), ("@why", drill.Reason)), CultureInfo.InvariantCulture);
        var stored = drill with { Id = id };
        await UpdateAsync(stored, ct);
        return stored;
    }

    public Task UpdateAsync(DrillRecord drill, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(drill);
        return Db.ExecuteAsync(db, """
            UPDATE drills SET status = @st, injected_at = @inj, detected_at = @det, recovered_at = @rec, ended_at = @end, incident_id = @inc,
                window_id = @win, inject_run_id = @r1, recover_run_id = @r2, verify_run_id = @r3, reason = @why
            WHERE id = @id
            """, ct, ("@st", Name(drill.Status)), ("@inj", Ms(drill.InjectedAt)), ("@det", Ms(drill.DetectedAt)), ("@rec", Ms(drill.RecoveredAt)),
            ("@end", Ms(drill.EndedAt)), ("@inc", drill.IncidentId), ("@win", drill.WindowId), ("@r1", drill.InjectRunId), ("@r2", drill.RecoverRunId),
            ("@r3", drill.VerifyRunId), ("@why", drill.Reason), ("@id", drill.Id));
    }

    public async Task<DrillRecord?> GetAsync(long id, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {Columns} FROM drills WHERE id = @id", Map, ct, ("@id", id))).FirstOrDefault();

    public async Task<IReadOnlyList<DrillRecord>> ListAsync(string? service, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {Columns} FROM drills WHERE (service = @svc OR @svc IS NULL) ORDER BY id DESC LIMIT @limit", Map, ct,
            ("@svc", service), ("@limit", limit));

    public async Task<IReadOnlyList<DrillRecord>> ListUnfinishedAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {Columns} FROM drills WHERE status = 'running' ORDER BY id", Map, ct);

    private static long? Ms(DateTimeOffset? t) => t is { } v ? Db.Millis(v) : null;

    private static string Name(DrillStatus status) => status.ToString().ToLowerInvariant();

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static DrillRecord Map(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), Enum.Parse<DrillStatus>(r.GetString(3), ignoreCase: true), r.GetString(4), r.Time(5),
            r.NullableTime(6), r.NullableTime(7), r.NullableTime(8), r.NullableTime(9), TimeSpan.FromMilliseconds(r.GetInt64(10)),
            Long(r, 11), Long(r, 12), Long(r, 13), Long(r, 14), Long(r, 15), r.GetString(16));
}
