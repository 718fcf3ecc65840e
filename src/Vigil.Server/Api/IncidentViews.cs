using Vigil.Core.Incidents;

namespace Vigil.Server.Api;

/// <summary>An incident as the API shows it. <c>status</c> is <c>triggered|acknowledged|mitigated|resolved|closed</c>.</summary>
public sealed record IncidentView(
    long Id,
    string Title,
    string Severity,
    string? Service,
    string Status,
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
    public static IncidentView From(Incident i) => new(i.Id, i.Title, i.Severity, i.Service, i.Status.ToName(), i.OpenedBy, i.OpenedAt, i.AcknowledgedAt,
        i.MitigatedAt, i.ResolvedAt, i.ClosedAt, i.AckDueAt, i.AckBreachedAt, i.AutoResolve, i.Reopened, i.Commander, i.Scribe, i.Assignee, i.PirAt, i.Labels);
}

/// <summary>A signal attached to an incident. <c>inhibitedReason</c> is set when a dependency's incident kept it from paging.</summary>
public sealed record IncidentSignalView(
    string DedupKey,
    string Source,
    string Status,
    string Summary,
    string Severity,
    string? Service,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ExpiresAt,
    int FireCount,
    string? InhibitedReason)
{
    public static IncidentSignalView From(IncidentSignal s) => new(s.DedupKey, s.Source.ToName(), s.Status.ToName(), s.Summary, s.Severity, s.Service,
        s.Labels, s.FirstAt, s.LastAt, s.ResolvedAt, s.ExpiresAt, s.FireCount, s.InhibitedReason);
}

public sealed record TimelineEntryView(DateTimeOffset At, string Kind, string Actor, string Text);

public sealed record ChecklistItemView(int Number, string Text, DateTimeOffset? DoneAt, string? DoneBy);

public sealed record ActionItemView(long Id, long IncidentId, string Text, string? Owner, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DoneAt, string? DoneBy)
{
    public static ActionItemView From(ActionItem a) => new(a.Id, a.IncidentId, a.Text, a.Owner, a.CreatedAt, a.CreatedBy, a.DoneAt, a.DoneBy);
}

/// <summary>One incident with everything attached to it.</summary>
public sealed record IncidentDetailView(
    IncidentView Incident,
    IReadOnlyList<IncidentSignalView> Signals,
    IReadOnlyList<TimelineEntryView> Timeline,
    IReadOnlyList<ChecklistItemView> Checklist,
    IReadOnlyList<ActionItemView> Actions,
    IReadOnlyList<NotificationView>? Notifications = null,
    IReadOnlyList<RunView>? Runs = null,
    IReadOnlyList<RunbookSummaryView>? Runbooks = null);

/// <summary>Body of <c>POST /api/v1/incidents</c>.</summary>
public sealed record OpenIncidentRequest(string? Title, string? Severity, string? Service, string? Summary);

/// <summary>
/// Body of the lifecycle routes (ack, mitigate, resolve, close); the reason is optional. <c>force</c> resolves an
/// incident whose signals are still firing (refused with 409 without it); a check still failing re-triggers it.
/// </summary>
public sealed record IncidentActionRequest(string? Reason, bool Force = false);

public sealed record NoteRequest(string? Text);

/// <summary>Body of <c>public-updates</c>: plain text for the public status page (1 to 2000 characters).</summary>
public sealed record PublicUpdateRequest(string? Text);

/// <summary>Body of <c>assign</c>: role is <c>commander|scribe|assignee</c>; an empty <c>to</c> clears the role.</summary>
public sealed record AssignRequest(string? Role, string? To);

/// <summary>Body of a checklist tick; <c>done</c> defaults to true.</summary>
public sealed record ChecklistTickRequest(bool? Done);

public sealed record ActionItemRequest(string? Text, string? Owner);

/// <summary>Open incidents and open action items, for <c>vigil status</c>.</summary>
public sealed record IncidentSummaryView(IReadOnlyDictionary<string, int> OpenBySeverity, IReadOnlyList<IncidentView> Open, IReadOnlyList<ActionItemView> OpenActions);
