namespace Vigil.Core.Incidents;

/// <summary>Where a signal came from.</summary>
public enum SignalSource
{
    /// <summary>A state change of one of Vigil's own checks.</summary>
    Check,

    /// <summary>An Alertmanager webhook or an alert posted to <c>/api/v2/alerts</c>.</summary>
    Alertmanager,

    /// <summary>The generic events API.</summary>
    Events,

    /// <summary>A scheduled runbook run that failed (or succeeded again).</summary>
    Runbook,

    /// <summary>An objective: an SLO's burn-rate alert (<c>slo/&lt;id&gt;</c>) or a breached RPO (<c>rpo/&lt;service&gt;</c>).</summary>
    Slo,
    /// <summary>A backup job: a failed backup, verification or restore test, a missed schedule, or its newest verified backup older than the service's RPO.</summary>
    Backup,
}

/// <summary>Whether a signal reports a problem or its end.</summary>
public enum SignalStatus
{
    Firing,
    Resolved,
}

/// <summary>An incident's place in its lifecycle: triggered → acknowledged → mitigated → resolved → closed.</summary>
public enum IncidentStatus
{
    Triggered,
    Acknowledged,
    Mitigated,
    Resolved,
    Closed,
}

/// <summary>The named roles a person can hold on an incident.</summary>
public enum IncidentRole
{
    Commander,
    Scribe,
    Assignee,
}

/// <summary>
/// One observation from a source, before routing: a check state change, an alert, an event.
/// </summary>
/// <param name="DedupKey">Signals with the same key are the same problem (check key, alert fingerprint, event dedup_key).</param>
/// <param name="Severity">Mapped Vigil severity id.</param>
/// <param name="Service">Vigil service id when the signal names a configured service.</param>
/// <param name="ExpiresAt">A firing signal not refreshed by then resolves by itself (Prometheus alerts); null = never.</param>
/// <param name="Flapping">The check behind the signal is flapping: recorded, not re-paged.</param>
/// <param name="Title">A short headline for an incident this signal opens; defaults to the summary.</param>
public sealed record Signal(
    SignalSource Source,
    string DedupKey,
    SignalStatus Status,
    string Summary,
    string Severity,
    string? Service,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset At,
    DateTimeOffset? ExpiresAt = null,
    bool Flapping = false,
    string? Title = null);

/// <summary>An incident as stored.</summary>
public sealed record Incident(
    long Id,
    string Title,
    string Severity,
    string? Service,
    IncidentStatus Status,
    string GroupKey,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? AckDueAt,
    DateTimeOffset? AckBreachedAt,
    bool AutoResolve,
    int Reopened,
    string? Commander,
    string? Scribe,
    string? Assignee,
    DateTimeOffset? PirAt,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Triggered, acknowledged or mitigated: still being worked.</summary>
    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;
}

/// <summary>A signal attached to an incident: its latest status, how often it fired, and whether it was inhibited.</summary>
public sealed record IncidentSignal(
    long IncidentId,
    string DedupKey,
    SignalSource Source,
    SignalStatus Status,
    string Summary,
    string Severity,
    string? Service,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ExpiresAt,
    int FireCount,
    string? InhibitedReason);

/// <summary>One line of an incident's timeline.</summary>
/// <param name="Kind">A fixed word, such as <c>opened</c>, <c>signal</c>, <c>ack</c>, <c>note</c> (see <see cref="TimelineKinds"/>).</param>
public sealed record TimelineEntry(long Id, long IncidentId, DateTimeOffset At, string Kind, string Actor, string Text);

/// <summary>A checklist item instantiated on an incident from its severity's checklist.</summary>
public sealed record ChecklistItem(long IncidentId, int Number, string Text, DateTimeOffset? DoneAt, string? DoneBy);

/// <summary>A post-incident action item.</summary>
public sealed record ActionItem(long Id, long IncidentId, string Text, string? Owner, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DoneAt, string? DoneBy);

/// <summary>The kinds of timeline entries.</summary>
public static class TimelineKinds
{
    public const string Opened = "opened";
    public const string Signal = "signal";
    public const string Inhibited = "inhibited";
    public const string Severity = "severity";
    public const string Acknowledged = "acknowledged";
    public const string Mitigated = "mitigated";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Reopened = "reopened";
    public const string Note = "note";
    public const string Assigned = "assigned";
    public const string Checklist = "checklist";
    public const string AckBreach = "ack_breach";
    public const string Pir = "pir";
    public const string Action = "action";
    public const string Page = "page";
    public const string Escalation = "escalation";
    public const string Notification = "notification";

    /// <summary>Automatic remediation: why it ran or why not, and how its run ended.</summary>
    public const string Remediation = "remediation";

    /// <summary>An update written for the public status page (<c>vigil incident update ID --public</c>); the only timeline text the status page shows.</summary>
    public const string PublicUpdate = "public_update";
}
