using Vigil.Core.Escalation;
using Vigil.Core.OnCall;

namespace Vigil.Server.Api;

/// <summary>One notification in the delivery ledger. <c>kind</c> is <c>trigger|resolve|ticket</c>, <c>state</c> <c>pending|delivered|failed</c>.</summary>
public sealed record NotificationView(
    long Id,
    long IncidentId,
    string Kind,
    int Step,
    int Repeat,
    string Target,
    string Notifier,
    string? Person,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LastError,
    IReadOnlyList<DeliveryAttemptView>? AttemptLog = null)
{
    public static NotificationView From(NotificationRecord n, IReadOnlyList<DeliveryAttempt>? attempts = null) =>
        new(n.Id, n.IncidentId, n.Kind.ToString().ToLowerInvariant(), n.Step, n.Repeat, n.Target, n.NotifierId, n.PersonId, n.State.ToString().ToLowerInvariant(),
            n.Attempts, n.NextAttemptAt, n.CreatedAt, n.UpdatedAt, n.LastError, attempts?.Select(DeliveryAttemptView.From).ToList());
}

/// <summary>One delivery attempt: outcome, HTTP status or SMTP reply, latency, error.</summary>
public sealed record DeliveryAttemptView(int Attempt, DateTimeOffset At, bool Success, int? HttpStatus, string? Reply, long LatencyMs, string? Error)
{
    public static DeliveryAttemptView From(DeliveryAttempt a) => new(a.Attempt, a.At, a.Success, a.HttpStatus, a.Reply, a.LatencyMs, a.Error);
}

/// <summary>Who is on call for one schedule at an instant; <c>person</c> is null when nobody is.</summary>
public sealed record OnCallView(string Schedule, string? Person, string? PersonName, string? Source, DateTimeOffset? From, DateTimeOffset? Until, DateTimeOffset At);

/// <summary>One shift of a schedule (for <c>vigil oncall --next</c>).</summary>
public sealed record ShiftView(string Schedule, string? Person, string? PersonName, string? Source, DateTimeOffset From, DateTimeOffset Until);

public sealed record OverrideView(long Id, string Schedule, string Person, DateTimeOffset From, DateTimeOffset To, string? Reason, string CreatedBy)
{
    public static OverrideView Of(OnCallOverride o) => new(o.Id, o.ScheduleId, o.PersonId, o.From, o.To, o.Reason, o.CreatedBy);
}

/// <summary>Body of <c>POST /api/v1/overrides</c>.</summary>
public sealed record OverrideRequest(string? Schedule, string? Person, DateTimeOffset? From, DateTimeOffset? To, string? Reason);
