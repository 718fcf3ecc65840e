using System.Data.Common;
using System.Globalization;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoRemediationRepository(DbScope db) : IRemediationRepository
{
    private const string Columns = "id, incident_id, generation, key, origin, runbook, procedure, outcome, run_id, reason, decided_at, ended_at";

    public async Task<RemediationRecord> AddAsync(RemediationRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = Convert.ToInt64(await Db.ScalarAsync(db, """
            INSERT INTO remediations (incident_id, generation, key, origin, runbook, procedure, outcome, run_id, reason, decided_at, ended_at)
            VALUES (@i, @g, @k, @o, @rb, @p, @out, @run, @why, @at, @end) RETURNING id
            """, ct, ("@i", record.IncidentId), ("@g", record.Generation), ("@k", record.Key), ("@o", record.Origin), ("@rb", record.Runbook),
            ("@p", record.Procedure), ("@out", Name(record.Outcome)), ("@run", record.RunId), ("@why", record.Reason), ("@at", Db.Millis(record.DecidedAt)),
            ("@end", record.EndedAt is { } e ? Db.Millis(e) : null)), CultureInfo.InvariantCulture);
        return record with { Id = id };
    }

    public Task UpdateAsync(RemediationRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Db.ExecuteAsync(db, "UPDATE remediations SET outcome = @out, run_id = @run, reason = @why, ended_at = @end WHERE id = @id", ct,
            ("@out", Name(record.Outcome)), ("@run", record.RunId), ("@why", record.Reason), ("@end", record.EndedAt is { } e ? Db.Millis(e) : null), ("@id", record.Id));
    }

    public async Task<IReadOnlyList<DateTimeOffset>> ListStartsAsync(string key, DateTimeOffset since, CancellationToken ct) =>
        await Db.QueryAsync(db, "SELECT decided_at FROM remediations WHERE key = @k AND decided_at >= @since AND outcome <> 'refused' ORDER BY decided_at",
            r => r.Time(0), ct, ("@k", key), ("@since", Db.Millis(since)));

    public async Task<IReadOnlyList<RemediationRecord>> ListForIncidentAsync(long incidentId, CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {Columns} FROM remediations WHERE incident_id = @i ORDER BY id", Map, ct, ("@i", incidentId));

    public async Task<IReadOnlyList<RemediationRecord>> ListRunningAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {Columns} FROM remediations WHERE outcome = 'running' ORDER BY id", Map, ct);

    public async Task<IReadOnlyList<UndecidedIncident>> ListUndecidedIncidentsAsync(DateTimeOffset openedSince, long afterId, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db, """
            SELECT i.id, i.reopened, i.opened_at,
                   CASE WHEN EXISTS (SELECT 1 FROM escalations e WHERE e.incident_id = i.id AND e.generation = i.reopened) THEN 1 ELSE 0 END
            FROM incidents i
            WHERE i.status IN ('triggered', 'acknowledged', 'mitigated') AND (i.opened_at >= @since OR i.reopened > 0) AND i.id > @after
              AND NOT EXISTS (SELECT 1 FROM remediations r WHERE r.incident_id = i.id AND r.generation = i.reopened)
            ORDER BY i.id LIMIT @limit
            """, r => new UndecidedIncident(r.GetInt64(0), r.GetInt32(1), r.Time(2), r.GetInt64(3) != 0), ct,
            ("@since", Db.Millis(openedSince)), ("@after", afterId), ("@limit", limit));

    public Task<int> EscalateNowAsync(long incidentId, DateTimeOffset now, CancellationToken ct) =>
        Db.ExecuteAsync(db, """
            UPDATE escalation_steps SET due_at = @now
            WHERE incident_id = @i AND state = 'pending' AND due_at > @now
              AND due_at = (SELECT MIN(due_at) FROM escalation_steps WHERE incident_id = @i AND state = 'pending')
            """, ct, ("@i", incidentId), ("@now", Db.Millis(now)));

    private static string Name(RemediationOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static RemediationRecord Map(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.NullableString(6),
            Enum.Parse<RemediationOutcome>(r.GetString(7), ignoreCase: true), r.IsDBNull(8) ? null : r.GetInt64(8), r.GetString(9), r.Time(10), r.NullableTime(11));
}
