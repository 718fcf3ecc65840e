using System.Globalization;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Writes what happens to runs: each change of a run or a step commits with its audit entry, and with an
/// incident timeline entry when the run is linked to an incident, in one transaction.
/// </summary>
internal sealed class RunRecorder(IVigilStore store)
{
    /// <summary>The actor of changes Vigil makes itself (timers, the executor, start-up).</summary>
    public const string System = "system:runbooks";

    /// <summary>Records a new run; null when the incident it links to does not exist (nothing is written then).</summary>
    public async Task<RunbookRun?> InsertAsync(RunStart start, RunStatus status, DateTimeOffset now, DateTimeOffset? approvalExpiresAt, string? node, CancellationToken ct)
    {
        try
        {
            return await store.WriteAsync(async (s, c) =>
            {
                // Checked in the transaction that links the run, so the incident cannot vanish in between.
                if (start.Request.IncidentId is { } incidentId && await s.Incidents.GetAsync(incidentId, c) is null)
                {
                    throw new IncidentMissing();
                }

                var r = await s.Runbooks.InsertRunAsync(start.Request, status, start.Actor, now, approvalExpiresAt, node, c);
                var text = $"Run #{r.Id} of runbook {start.Request.RunbookId} ({start.Request.Procedure}) requested by {start.Actor}"
                    + (status == RunStatus.PendingApproval ? $"; it waits for approval by another person until {r.ApprovalExpiresAt:u}" : "");
                await RecordAsync(s, r, start.Actor, "runbook.run.create", text, start.Request.FreezeOverride, c);
                return r;
            }, ct);
        }
        catch (IncidentMissing)
        {
            return null;
        }
    }

    /// <summary>Records a run's new state under <paramref name="action"/>.</summary>
    public Task UpdateAsync(RunbookRun run, string actor, string action, string text, string? reason, CancellationToken ct) =>
        store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.UpdateRunAsync(run, c);
            await RecordAsync(s, run, actor, action, text, reason, c);
            return 0;
        }, ct);

    /// <summary>Records the end of a run; returns the sentence that describes it.</summary>
    public async Task<string> EndAsync(RunbookRun run, string actor, CancellationToken ct)
    {
        var text = $"Run #{run.Id} of {run.Request.RunbookId} ({run.Request.Procedure}) {RunNames.Of(run.Status)}"
            + (run.Error is null ? "" : ": " + run.Error)
            + (run.RollbackOutcome is { } rollback ? $"; rollback {RunNames.Of(rollback)}" : "")
            + (run.DrillPassed is { } pass ? $"; drill {(pass ? "PASS" : "FAIL")} ({run.Duration?.TotalSeconds:0.0} s against an RTO of {run.Request.DrillRto?.TotalSeconds:0} s)" : "");
        await UpdateAsync(run, actor, "runbook.run.end", text, null, ct);
        return text;
    }

    /// <summary>Records an executed (or refused) step of a run.</summary>
    public Task AddStepAsync(RunbookRun run, RunStep step, string text) =>
        store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.AddStepAsync(step, c);
            await RecordAsync(s, run, System, "runbook.step", text, null, c);
            return 0;
        }, CancellationToken.None);

    /// <summary>Records a person's answer to a confirmation (audit only: the run's state changes when it resumes).</summary>
    public Task ConfirmationAsync(long runId, string actor, int? step, ConfirmAnswer answer, CancellationToken ct) =>
        store.WriteAsync(async (s, c) =>
        {
            await s.Audit.AppendAsync(new AuditDraft(actor, "runbook.step.confirm", Target(runId), null, null,
                JsonSerializer.Serialize(new { step, answer = RunNames.Of(answer) })), c);
            return 0;
        }, ct);

    /// <summary>An audit entry for the run, and an incident timeline entry when the run is linked to one.</summary>
    private static async Task RecordAsync(IStoreSession s, RunbookRun run, string actor, string action, string text, string? reason, CancellationToken ct)
    {
        await s.Audit.AppendAsync(new AuditDraft(actor, action, Target(run.Id), reason ?? text, null,
            JsonSerializer.Serialize(new { status = RunNames.Of(run.Status), runbook = run.Request.RunbookId, procedure = run.Request.Procedure, text })), ct);
        if (run.Request.IncidentId is { } incident)
        {
            await s.Incidents.AddTimelineAsync(incident, s.Now, "runbook", actor, text, ct);
        }
    }

    private static string Target(long runId) => "runbook-run/" + runId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Aborts the insert's transaction (the store rolls back a write that throws); never leaves this class.</summary>
    private sealed class IncidentMissing : Exception;
}
