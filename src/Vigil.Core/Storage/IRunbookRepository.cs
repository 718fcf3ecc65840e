using Vigil.Core.Runbooks;

namespace Vigil.Core.Storage;

/// <summary>Which runs to list, newest first.</summary>
public sealed record RunQuery(string? RunbookId = null, bool DrillsOnly = false, int Limit = 50);

/// <summary>Runbook runs and their steps.</summary>
public interface IRunbookRepository
{
    Task<RunbookRun> InsertRunAsync(RunRequest request, RunStatus status, string requestedBy, DateTimeOffset at, DateTimeOffset? approvalExpiresAt, string? node,
        CancellationToken ct);

    Task<RunbookRun?> GetRunAsync(long id, CancellationToken ct);

    /// <summary>Writes the run's mutable fields (status, times, approver, waiting step, error, rollback outcome).</summary>
    Task UpdateRunAsync(RunbookRun run, CancellationToken ct);

    Task<IReadOnlyList<RunbookRun>> ListRunsAsync(RunQuery query, CancellationToken ct);

    /// <summary>Runs not finished (pending approval, running or waiting), oldest first.</summary>
    Task<IReadOnlyList<RunbookRun>> ListUnfinishedAsync(CancellationToken ct);

    /// <summary>The newest run of each runbook id.</summary>
    Task<IReadOnlyDictionary<string, RunbookRun>> LatestByRunbookAsync(CancellationToken ct);

    /// <summary>Runs linked to an incident, oldest first.</summary>
    Task<IReadOnlyList<RunbookRun>> ListForIncidentAsync(long incidentId, CancellationToken ct);

    Task AddStepAsync(RunStep step, CancellationToken ct);

    Task<IReadOnlyList<RunStep>> ListStepsAsync(long runId, CancellationToken ct);
}
