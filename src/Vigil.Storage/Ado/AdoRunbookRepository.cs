using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;

namespace Vigil.Storage.Ado;

internal sealed class AdoRunbookRepository(DbScope db) : IRunbookRepository
{
    private const string RunColumns =
        "id, request, status, requested_by, created_at, started_at, ended_at, approved_by, approval_expires_at, waiting_step, error, rollback_outcome, node";

    private const string StepColumns = "run_id, seq, in_rollback, step_index, name, status, exit_code, started_at, ended_at, output, output_bytes, truncated";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RunbookRun> InsertRunAsync(RunRequest request, RunStatus status, string requestedBy, DateTimeOffset at, DateTimeOffset? approvalExpiresAt,
        string? node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Convert.ToInt64(await Db.ScalarAsync(db, """
            INSERT INTO runbook_runs (runbook_id, incident_id, is_drill, request, status, requested_by, created_at, approval_expires_at, node)
            VALUES (@rb, @inc, @drill, @req, @st, @by, @at, @exp, @node) RETURNING id
            """, ct, ("@rb", request.RunbookId), ("@inc", request.IncidentId), ("@drill", request.DrillRto is null ? 0 : 1),
            ("@req", JsonSerializer.Serialize(request, Json)), ("@st", RunNames.Of(status)), ("@by", requestedBy), ("@at", Db.Millis(at)),
            ("@exp", approvalExpiresAt is { } e ? Db.Millis(e) : null), ("@node", node)), CultureInfo.InvariantCulture);
        return new RunbookRun(id, request, status, requestedBy, at, null, null, null, approvalExpiresAt, null, null, null, node);
    }

    public async Task<RunbookRun?> GetRunAsync(long id, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {RunColumns} FROM runbook_runs WHERE id = @id", MapRun, ct, ("@id", id))).FirstOrDefault();

    public async Task UpdateRunAsync(RunbookRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        // vigil_runbook_runs_total counts a run once, when its end is first stored (the engine records
        // through this contract, so every backend and every way a run ends is counted alike).
        if (run.IsFinished && run.EndedAt is not null && VigilMetrics.Enabled
            && Convert.ToInt64(await Db.ScalarAsync(db, "SELECT COUNT(*) FROM runbook_runs WHERE id = @id AND ended_at IS NULL", ct, ("@id", run.Id)),
                CultureInfo.InvariantCulture) == 1)
        {
            VigilMetrics.RunbookRunEnded(RunNames.Of(run.Status));
        }

        await Db.ExecuteAsync(db, """
            UPDATE runbook_runs SET status = @st, started_at = @start, ended_at = @end, approved_by = @ab, approval_expires_at = @exp,
                waiting_step = @ws, error = @err, rollback_outcome = @rb
            WHERE id = @id
            """, ct, ("@st", RunNames.Of(run.Status)), ("@start", run.StartedAt is { } s ? Db.Millis(s) : null), ("@end", run.EndedAt is { } e ? Db.Millis(e) : null),
            ("@ab", run.ApprovedBy), ("@exp", run.ApprovalExpiresAt is { } x ? Db.Millis(x) : null), ("@ws", run.WaitingStep), ("@err", run.Error),
            ("@rb", run.RollbackOutcome is { } rollback ? RunNames.Of(rollback) : null), ("@id", run.Id));
    }

    public async Task<IReadOnlyList<RunbookRun>> ListRunsAsync(RunQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await Db.QueryAsync(db, $"""
            SELECT {RunColumns} FROM runbook_runs
            WHERE (runbook_id = @rb OR @rb IS NULL) AND (@drills = 0 OR is_drill = 1)
            ORDER BY id DESC LIMIT @limit
            """, MapRun, ct, ("@rb", query.RunbookId), ("@drills", query.DrillsOnly ? 1 : 0), ("@limit", query.Limit));
    }

    public async Task<IReadOnlyList<RunbookRun>> ListUnfinishedAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {RunColumns} FROM runbook_runs WHERE status IN ('pending_approval', 'running', 'waiting') ORDER BY id", MapRun, ct);

    public async Task<IReadOnlyDictionary<string, RunbookRun>> LatestByRunbookAsync(CancellationToken ct)
    {
        var runs = await Db.QueryAsync(db,
            $"SELECT {RunColumns} FROM runbook_runs WHERE id IN (SELECT MAX(id) FROM runbook_runs GROUP BY runbook_id)", MapRun, ct);
        return runs.ToDictionary(r => r.Request.RunbookId, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<RunbookRun>> ListForIncidentAsync(long incidentId, CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {RunColumns} FROM runbook_runs WHERE incident_id = @i ORDER BY id", MapRun, ct, ("@i", incidentId));

    public Task AddStepAsync(RunStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        VigilMetrics.RunbookStep(RunNames.Of(step.Status), step.EndedAt - step.StartedAt);
        return Db.ExecuteAsync(db, $"INSERT INTO runbook_run_steps ({StepColumns}) VALUES (@run, @seq, @rb, @idx, @name, @st, @exit, @start, @end, @out, @bytes, @cut)", ct,
            ("@run", step.RunId), ("@seq", step.Seq), ("@rb", step.InRollback ? 1 : 0), ("@idx", step.Index), ("@name", step.Name), ("@st", RunNames.Of(step.Status)),
            ("@exit", step.ExitCode), ("@start", Db.Millis(step.StartedAt)), ("@end", Db.Millis(step.EndedAt)), ("@out", step.Output), ("@bytes", step.OutputBytes),
            ("@cut", step.Truncated ? 1 : 0));
    }

    public async Task<IReadOnlyList<RunStep>> ListStepsAsync(long runId, CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {StepColumns} FROM runbook_run_steps WHERE run_id = @r ORDER BY seq",
            r => new RunStep(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2) != 0, r.GetInt32(3), r.NullableString(4), RunNames.ParseStep(r.GetString(5)),
                r.IsDBNull(6) ? null : r.GetInt32(6), r.Time(7), r.Time(8), r.GetString(9), r.GetInt64(10), r.GetInt64(11) != 0), ct, ("@r", runId));

    private static RunbookRun MapRun(DbDataReader r) =>
        new(r.GetInt64(0), JsonSerializer.Deserialize<RunRequest>(r.GetString(1), Json)!, RunNames.ParseRun(r.GetString(2)), r.GetString(3), r.Time(4),
            r.NullableTime(5), r.NullableTime(6), r.NullableString(7), r.NullableTime(8), r.IsDBNull(9) ? null : r.GetInt32(9), r.NullableString(10),
            r.NullableString(11) is { } rollback ? RunNames.ParseRollback(rollback) : null, r.NullableString(12));
}
