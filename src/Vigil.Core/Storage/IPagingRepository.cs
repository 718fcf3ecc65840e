using Vigil.Core.Escalation;
using Vigil.Core.OnCall;

namespace Vigil.Core.Storage;

/// <summary>Escalations, their step timers, the notification ledger and on-call overrides.</summary>
public interface IPagingRepository
{
    Task<EscalationRecord?> GetEscalationAsync(long incidentId, CancellationToken ct);

    Task UpsertEscalationAsync(EscalationRecord escalation, CancellationToken ct);

    /// <summary>
    /// Triggered incidents to (re)evaluate: no escalation row yet, one from before the incident was reopened, or one that
    /// did not page at a severity since raised. New ones first. Held escalations are not listed: their holds end by
    /// what happens elsewhere (a silence, a window, the inhibiting incident), so they are re-checked through <see cref="ListHeldAsync"/>.
    /// </summary>
    Task<IReadOnlyList<long>> ListIncidentsToEvaluateAsync(int limit, CancellationToken ct);

    /// <summary>Triggered incidents whose escalation (of this episode) is held, by id after <paramref name="afterId"/>: one page of a full pass.</summary>
    Task<IReadOnlyList<long>> ListHeldAsync(long afterId, int limit, CancellationToken ct);

    /// <summary>Running escalations whose incident is no longer triggered (acknowledged, mitigated, resolved or closed).</summary>
    Task<IReadOnlyList<long>> ListEscalationsToStopAsync(int limit, CancellationToken ct);

    Task AddStepsAsync(long incidentId, IReadOnlyList<EscalationStepPlan> steps, CancellationToken ct);

    /// <summary>Drops an incident's step rows (before a reopened incident's escalation is planned again).</summary>
    Task DeleteStepsAsync(long incidentId, CancellationToken ct);

    Task<IReadOnlyList<EscalationStepRecord>> ListDueStepsAsync(DateTimeOffset now, int limit, CancellationToken ct);

    Task SetStepStateAsync(long incidentId, int step, int repeat, EscalationStepState state, CancellationToken ct);

    /// <summary>Cancels every pending step of the incident; returns how many.</summary>
    Task<int> CancelPendingStepsAsync(long incidentId, CancellationToken ct);

    /// <summary>Inserts the notification unless one with its key exists; returns it, or null when it existed.</summary>
    Task<NotificationRecord?> AddNotificationAsync(NotificationRecord notification, CancellationToken ct);

    /// <summary>Stores the notification's new state after an attempt (or its withdrawal), which also ends any claim on it.</summary>
    Task UpdateNotificationAsync(NotificationRecord notification, CancellationToken ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due notifications (pending, next attempt at or before <paramref name="now"/>) that
    /// no sender holds, or whose claim ran out, for <paramref name="claimant"/> until <paramref name="until"/>, and returns them.
    /// On PostgreSQL the rows are locked <c>FOR UPDATE SKIP LOCKED</c>, so two nodes claiming at once get different rows;
    /// a claimed notification is sent once, and only sent again by another sender after its claim ran out unanswered.
    /// </summary>
    Task<IReadOnlyList<NotificationRecord>> ClaimDueNotificationsAsync(DateTimeOffset now, DateTimeOffset until, string claimant, int limit, CancellationToken ct);

    /// <summary>Whether <see cref="ClaimDueNotificationsAsync"/> would claim anything now: a read, so a sender with nothing due takes no write lock.</summary>
    Task<bool> AnyClaimableNotificationAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Notifications of one incident, or the newest of all when <paramref name="incidentId"/> is null.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListNotificationsAsync(long? incidentId, bool failedOnly, int limit, CancellationToken ct);

    Task AddAttemptAsync(DeliveryAttempt attempt, CancellationToken ct);

    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(long notificationId, CancellationToken ct);

    /// <summary>The earliest pending step or notification due time.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    Task<OnCallOverride> AddOverrideAsync(string scheduleId, string personId, DateTimeOffset from, DateTimeOffset to, string? reason, string createdBy, DateTimeOffset at, CancellationToken ct);

    /// <summary>Overrides not removed that end after <paramref name="endingAfter"/> (all schedules).</summary>
    Task<IReadOnlyList<OnCallOverride>> ListOverridesAsync(DateTimeOffset endingAfter, CancellationToken ct);

    Task<bool> RemoveOverrideAsync(long id, string removedBy, DateTimeOffset at, CancellationToken ct);
}
