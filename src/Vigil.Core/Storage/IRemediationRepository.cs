namespace Vigil.Core.Storage;

/// <summary>Where an automatic remediation is: <c>running</c>, or ended <c>succeeded</c> / <c>failed</c>, or <c>refused</c> (a guard rail said no).</summary>
public enum RemediationOutcome
{
    Running,
    Succeeded,
    Failed,
    Refused,
}

/// <summary>One remediation decision for one opening (or reopening) of an incident, as stored.</summary>
/// <param name="Generation">The incident's reopen count at the decision: each (re)opening is decided once.</param>
/// <param name="Key">What cooldown and <c>max_runs</c> count against (see <c>RemediationChoice.Key</c>).</param>
/// <param name="Origin">Where the remediation came from, for people (<c>check api/health</c>).</param>
/// <param name="Reason">The decision's sentence (why it ran or why not), then how it ended.</param>
public sealed record RemediationRecord(
    long Id,
    long IncidentId,
    int Generation,
    string Key,
    string Origin,
    string Runbook,
    string? Procedure,
    RemediationOutcome Outcome,
    long? RunId,
    string Reason,
    DateTimeOffset DecidedAt,
    DateTimeOffset? EndedAt);

/// <summary>An incident opening without a remediation decision yet.</summary>
/// <param name="EscalationEvaluated">Whether escalation has already planned (or held, or declined) this opening, so a refusal can bring its steps forward.</param>
public sealed record UndecidedIncident(long Id, int Generation, DateTimeOffset OpenedAt, bool EscalationEvaluated);

/// <summary>Automatic remediation decisions (storage migration 12).</summary>
public interface IRemediationRepository
{
    /// <summary>Records a decision; returns it with its id. At most one per (incident, generation).</summary>
    Task<RemediationRecord> AddAsync(RemediationRecord record, CancellationToken ct);

    /// <summary>Writes the outcome, run, reason and end of a decision.</summary>
    Task UpdateAsync(RemediationRecord record, CancellationToken ct);

    /// <summary>When remediations with <paramref name="key"/> started (refusals do not count) since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<DateTimeOffset>> ListStartsAsync(string key, DateTimeOffset since, CancellationToken ct);

    Task<IReadOnlyList<RemediationRecord>> ListForIncidentAsync(long incidentId, CancellationToken ct);

    /// <summary>Remediations still <c>running</c> (their run's end not yet recorded), oldest first.</summary>
    Task<IReadOnlyList<RemediationRecord>> ListRunningAsync(CancellationToken ct);

    /// <summary>
    /// Open incidents (triggered, acknowledged, mitigated) opened since <paramref name="openedSince"/> or reopened,
    /// whose current opening has no decision yet: a page of at most <paramref name="limit"/> with ids above <paramref name="afterId"/>,
    /// oldest first (a caller pages through them all, so no opening is hidden behind newer ones).
    /// </summary>
    Task<IReadOnlyList<UndecidedIncident>> ListUndecidedIncidentsAsync(DateTimeOffset openedSince, long afterId, int limit, CancellationToken ct);

    /// <summary>
    /// Brings the incident's next pending escalation step forward to <paramref name="now"/> (a failed remediation
    /// does not wait for the step's delay); returns how many step rows moved (0: nothing pending to bring forward).
    /// </summary>
    Task<int> EscalateNowAsync(long incidentId, DateTimeOffset now, CancellationToken ct);
}
