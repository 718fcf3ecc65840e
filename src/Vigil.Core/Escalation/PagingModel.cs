using Vigil.Core.Notifications;

namespace Vigil.Core.Escalation;

/// <summary>Where an incident's paging stands.</summary>
public enum EscalationStatus
{
    /// <summary>Steps are planned and run until acknowledged or resolved.</summary>
    Running,

    /// <summary>Paging waits: every signal is inhibited, or a maintenance window covers the service. Re-checked on every sweep.</summary>
    Held,

    /// <summary>Nothing pages: the severity does not page, or no escalation policy applies.</summary>
    None,

    /// <summary>Acknowledged or resolved: the remaining steps were cancelled.</summary>
    Stopped,
}

/// <summary>
/// An incident's escalation as stored. <see cref="Generation"/> is the incident's reopen count and
/// <see cref="Severity"/> its severity when evaluated: a reopened incident, or one raised from a
/// non-paging severity, is evaluated afresh.
/// </summary>
public sealed record EscalationRecord(long IncidentId, int Generation, string Severity, string? PolicyId, EscalationStatus Status, string? Reason,
    DateTimeOffset? StartedAt, DateTimeOffset UpdatedAt, bool ResolveSent);

/// <summary>A planned step row: pending until its due time, then done (notifications created) or cancelled.</summary>
public sealed record EscalationStepRecord(long IncidentId, int Step, int Repeat, DateTimeOffset DueAt, EscalationStepState State);

/// <summary>Delivery state of a notification.</summary>
public enum NotificationState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One notification in the delivery ledger. <see cref="Key"/> is unique per (incident, kind, step,
/// repeat, target, notifier): the same page is never created twice, also across restarts.
/// </summary>
public sealed record NotificationRecord(
    long Id,
    string Key,
    long IncidentId,
    NotificationKind Kind,
    int Step,
    int Repeat,
    string Target,
    string NotifierId,
    string? PersonId,
    NotificationState State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LastError);

/// <summary>One delivery attempt, as the ledger keeps it.</summary>
public sealed record DeliveryAttempt(long Id, long NotificationId, int Attempt, DateTimeOffset At, bool Success, int? HttpStatus, string? Reply, long LatencyMs, string? Error);
