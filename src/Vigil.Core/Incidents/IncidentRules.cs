using System.Globalization;

namespace Vigil.Core.Incidents;

/// <summary>What to do with a signal, given the latest incident of its group.</summary>
public enum RouteDecision
{
    /// <summary>Attach to (or update the signal on) the latest incident, which is open.</summary>
    Attach,

    /// <summary>The latest incident resolved within the reopen window: reopen it and attach.</summary>
    Reopen,

    /// <summary>Open a new incident.</summary>
    Open,

    /// <summary>A resolved signal for an incident no longer open: update its signal row, change nothing else.</summary>
    UpdateOnly,

    /// <summary>A resolved signal nobody has seen firing: nothing to do.</summary>
    Ignore,
}

/// <summary>A lifecycle action a person (or an integration) takes on an incident.</summary>
public enum LifecycleAction
{
    Acknowledge,
    Mitigate,
    Resolve,
    Close,
}

/// <summary>
/// The incident engine's decisions as pure functions of (state, event, now): grouping, reopening,
/// severity, inhibition and lifecycle transitions. The store-facing code applies what these decide.
/// </summary>
public static class IncidentRules
{
    /// <summary>
    /// The key that decides which incident a signal belongs to: the <c>group_by</c> label values when
    /// the signal carries all of them, else its dedup key.
    /// </summary>
    public static string GroupKey(Signal signal, IReadOnlyList<string> groupBy)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(groupBy);
        if (groupBy.Count > 0 && groupBy.All(signal.Labels.ContainsKey))
        {
            return "group:" + string.Join(',', groupBy.Select(l => l + "=" + signal.Labels[l]));
        }

        return signal.DedupKey;
    }

    public static RouteDecision Route(Signal signal, Incident? latest, TimeSpan reopenWithin, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (latest is { IsOpen: true })
        {
            return RouteDecision.Attach;
        }

        if (signal.Status == SignalStatus.Resolved)
        {
            return latest is null ? RouteDecision.Ignore : RouteDecision.UpdateOnly;
        }

        return latest is { Status: IncidentStatus.Resolved, ResolvedAt: { } resolvedAt } && reopenWithin > TimeSpan.Zero && now - resolvedAt <= reopenWithin
            ? RouteDecision.Reopen
            : RouteDecision.Open;
    }

    /// <summary>A new incident for a first firing signal (id 0 until stored).</summary>
    public static Incident Open(string title, SeverityLevel level, string? service, string groupKey, string openedBy, bool autoResolve,
        IReadOnlyDictionary<string, string> labels, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(level);
        return new Incident(0, title, level.Id, service, IncidentStatus.Triggered, groupKey, openedBy, now,
            null, null, null, null, level.AckWithin is { } within ? now + within : null, null, autoResolve, 0, null, null, null, null, labels);
    }

    /// <summary>A resolved incident that fired again: triggered once more, with a fresh ack target.</summary>
    public static Incident Reopen(Incident incident, SeverityLevel level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(level);
        return incident with
        {
            Status = IncidentStatus.Triggered,
            AcknowledgedAt = null,
            MitigatedAt = null,
            ResolvedAt = null,
            AckDueAt = level.AckWithin is { } within ? now + within : null,
            AckBreachedAt = null,
            Reopened = incident.Reopened + 1,
        };
    }

    /// <summary>True when <paramref name="candidate"/> is more severe than <paramref name="current"/>.</summary>
    public static bool IsMoreSevere(SeverityLevel candidate, SeverityLevel current) => candidate.Rank < current.Rank;

    /// <summary>
    /// A firing signal at <paramref name="candidate"/> raises an open incident now at <paramref name="current"/>
    /// when it is more severe: the incident at the new severity, or null when nothing changes. A repeat can
    /// carry a new severity (warning → critical on the same check), so any firing may raise.
    /// <para>
    /// The ack clock keeps running from when the incident last became triggered (opened or reopened):
    /// that start is its current ack target minus the current level's <c>ack_within</c> (else its open
    /// time), and the new target is that start plus the new level's <c>ack_within</c>. An incident
    /// already acknowledged, or whose target already passed, keeps its target.
    /// </para>
    /// </summary>
    public static Incident? RaiseSeverity(Incident incident, SeverityLevel current, SeverityLevel candidate)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        if (!incident.IsOpen || !IsMoreSevere(candidate, current))
        {
            return null;
        }

        var clock = incident.AckDueAt is { } due && current.AckWithin is { } cw ? due - cw : incident.OpenedAt;
        return incident with
        {
            Severity = candidate.Id,
            AckDueAt = incident.AcknowledgedAt is null && incident.AckBreachedAt is null && candidate.AckWithin is { } w ? clock + w : incident.AckDueAt,
        };
    }

    /// <summary>
    /// Why a firing signal of <paramref name="service"/> must not page: an open incident on a service
    /// it depends on (the oldest such incident is named). Null when nothing inhibits it.
    /// </summary>
    public static string? InhibitionReason(string? service, IReadOnlyList<Incident> openDependencyIncidents)
    {
        ArgumentNullException.ThrowIfNull(openDependencyIncidents);
        var cause = openDependencyIncidents.Where(i => i.IsOpen && i.Service is not null).OrderBy(i => i.Id).FirstOrDefault();
        return service is null || cause is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"dependency {cause.Service} has open incident #{cause.Id} ({cause.Title})");
    }

    /// <summary>
    /// Applies a lifecycle action. Returns the incident as it is after the action, or the reason the
    /// action is not possible now (for a 409 answer that tells the user what to do).
    /// </summary>
    public static (Incident? Next, string? Refusal) Apply(Incident incident, LifecycleAction action, SeverityLevel level, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(level);
        var id = incident.Id.ToString(CultureInfo.InvariantCulture);
        var state = incident.Status.ToName();
        switch (action)
        {
            case LifecycleAction.Acknowledge:
                return incident.Status == IncidentStatus.Triggered
                    ? (incident with { Status = IncidentStatus.Acknowledged, AcknowledgedAt = now }, null)
                    : (null, $"Incident #{id} is {state}; only a triggered incident can be acknowledged.");
            case LifecycleAction.Mitigate:
                return incident.Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged
                    ? (incident with { Status = IncidentStatus.Mitigated, MitigatedAt = now, AcknowledgedAt = incident.AcknowledgedAt ?? now }, null)
                    : (null, $"Incident #{id} is {state}; only a triggered or acknowledged incident can be mitigated.");
            case LifecycleAction.Resolve:
                return incident.IsOpen
                    ? (incident with { Status = IncidentStatus.Resolved, ResolvedAt = now }, null)
                    : (null, $"Incident #{id} is already {state}.");
            case LifecycleAction.Close:
                if (incident.Status != IncidentStatus.Resolved)
                {
                    return (null, incident.Status == IncidentStatus.Closed
                        ? $"Incident #{id} is already closed."
                        : $"Incident #{id} is {state}; resolve it before closing it ('vigil incident resolve {id}').");
                }

                if (level.RequirePir && incident.PirAt is null)
                {
                    return (null, $"Severity {level.Id} requires a post-incident review before close: write it with 'vigil incident pir {id} --file pir-{id}.md', then close.");
                }

                return (incident with { Status = IncidentStatus.Closed, ClosedAt = now }, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    /// <summary>The ack target passed without an acknowledgement: the breach to record, or false.</summary>
    public static bool AckBreached(Incident incident, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.AckDueAt is { } due && now >= due && incident.AckBreachedAt is null
            && incident.Status == IncidentStatus.Triggered;
    }
}
