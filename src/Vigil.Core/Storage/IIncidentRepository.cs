using Vigil.Core.Incidents;

namespace Vigil.Core.Storage;

/// <summary>Which incidents to list, newest first.</summary>
public sealed record IncidentQuery(bool OpenOnly = false, string? Severity = null, string? Service = null, DateTimeOffset? Since = null, int Limit = 100);

/// <summary>Incidents, their signals, timelines, checklists and action items.</summary>
public interface IIncidentRepository
{
    /// <summary>Stores a new incident; returns it with its id.</summary>
    Task<Incident> InsertAsync(Incident incident, CancellationToken ct);

    Task UpdateAsync(Incident incident, CancellationToken ct);

    Task<Incident?> GetAsync(long id, CancellationToken ct);

    /// <summary>The newest incident with this group key, whatever its status.</summary>
    Task<Incident?> LatestInGroupAsync(string groupKey, CancellationToken ct);

    Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken ct);

    /// <summary>How many incidents are open (triggered, acknowledged or mitigated), by severity; severities with none are absent.</summary>
    Task<IReadOnlyDictionary<string, long>> CountOpenBySeverityAsync(CancellationToken ct);

    /// <summary>
    /// The oldest (lowest id) open incident on any of these services, or null. Inhibition names only
    /// that one, so this reads one row however many incidents are open.
    /// </summary>
    Task<Incident?> OldestOpenForServicesAsync(IReadOnlyCollection<string> services, CancellationToken ct);

    /// <summary>Triggered incidents whose ack target passed before <paramref name="now"/> with no breach recorded yet.</summary>
    Task<IReadOnlyList<Incident>> ListAckOverdueAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>The earliest pending timer: an ack target not yet breached, or a firing signal's expiry.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    Task<IncidentSignal?> GetSignalAsync(long incidentId, string dedupKey, CancellationToken ct);

    /// <summary>
    /// A repeat of a firing signal in one statement: refreshes <paramref name="signal"/>'s row (summary, severity, labels,
    /// last seen, expiry) when it is firing on the latest incident of <paramref name="groupKey"/>, that incident is open, and
    /// its severity is one of <paramref name="severityList"/> (comma-separated with a comma at each end, such as <c>,P0,P1,</c>:
    /// the levels the signal would not raise). Returns the incident's id, or null — having written nothing — when any of
    /// that does not hold, so the caller takes the full path.
    /// </summary>
    Task<long?> RefreshFiringSignalAsync(string groupKey, Signal signal, string severityList, CancellationToken ct);

    /// <summary>The newest attachment of a dedup key to any incident.</summary>
    Task<IncidentSignal?> FindSignalAsync(string dedupKey, CancellationToken ct);

    Task UpsertSignalAsync(IncidentSignal signal, CancellationToken ct);

    Task<IReadOnlyList<IncidentSignal>> ListSignalsAsync(long incidentId, CancellationToken ct);

    Task<int> CountFiringAsync(long incidentId, CancellationToken ct);

    /// <summary>
    /// The firing signals of the <paramref name="incidentLimit"/> newest open incidents, in one query: newest incident
    /// first, then as <see cref="ListSignalsAsync"/> orders them.
    /// </summary>
    Task<IReadOnlyList<IncidentSignal>> ListFiringOfOpenAsync(int incidentLimit, CancellationToken ct);

    /// <summary>Firing signals whose <c>expires_at</c> passed before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<IncidentSignal>> ListExpiredSignalsAsync(DateTimeOffset now, int limit, CancellationToken ct);

    Task<TimelineEntry> AddTimelineAsync(long incidentId, DateTimeOffset at, string kind, string actor, string text, CancellationToken ct);

    Task<IReadOnlyList<TimelineEntry>> ListTimelineAsync(long incidentId, CancellationToken ct);

    Task AddChecklistAsync(long incidentId, IReadOnlyList<string> items, CancellationToken ct);

    Task<IReadOnlyList<ChecklistItem>> ListChecklistAsync(long incidentId, CancellationToken ct);

    Task UpdateChecklistItemAsync(ChecklistItem item, CancellationToken ct);

    Task<ActionItem> AddActionAsync(long incidentId, string text, string? owner, string createdBy, DateTimeOffset at, CancellationToken ct);

    Task<ActionItem?> GetActionAsync(long id, CancellationToken ct);

    Task UpdateActionAsync(ActionItem item, CancellationToken ct);

    /// <summary>Action items of one incident, or of all incidents when <paramref name="incidentId"/> is null.</summary>
    Task<IReadOnlyList<ActionItem>> ListActionsAsync(long? incidentId, bool openOnly, CancellationToken ct);

    /// <summary>The dedup keys that fired most since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<NoisySignal>> TopSignalsAsync(DateTimeOffset since, string? service, int limit, CancellationToken ct);
}
