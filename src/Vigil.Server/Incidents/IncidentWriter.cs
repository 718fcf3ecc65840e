using System.Globalization;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;

namespace Vigil.Server.Incidents;

/// <summary>What became of one signal.</summary>
/// <param name="IncidentId">The incident it attached to, or null when it was ignored.</param>
public sealed record SignalOutcome(long? IncidentId, RouteDecision Decision, bool Changed);

/// <summary>
/// Applies the incident engine's decisions (<see cref="IncidentRules"/>) inside one store
/// transaction: every change writes its timeline entry and its audit entry in the same
/// transaction. Used by the intake queue, the check engine and the API alike.
/// <para>
/// The decisions are Core's (<see cref="IncidentRules"/>: routing, lifecycle, severity raise and ack
/// clock). A change that escalation or the incident timers must act on raises
/// <see cref="CommitTopics.Incidents"/> on the session, so those loops wake as soon as it commits;
/// repeats and timeline-only entries raise nothing.
/// </para>
/// </summary>
public static class IncidentWriter
{
    public const string SystemActor = "system:incidents";

    /// <summary>Routes one signal to an incident: attach, reopen, open, or update an old one.</summary>
    public static async Task<SignalOutcome> ApplySignalAsync(IStoreSession s, IncidentPolicy policy, Signal signal, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(signal);
        VigilMetrics.Signal(signal.Source.ToName());
        var now = s.Now;
        var groupKey = IncidentRules.GroupKey(signal, policy.GroupBy);
        // Most intake is a repeat of a signal already firing on an open incident (Alertmanager re-sends every
        // group_interval): refresh it in one statement. It writes nothing unless that is the case and the
        // signal raises nothing; then the full path below decides (the same outcome for a repeat).
        if (signal.Status == SignalStatus.Firing
            && await s.Incidents.RefreshFiringSignalAsync(groupKey, signal, NotRaising(policy, policy.Level(signal.Severity)), ct) is { } refreshed)
        {
            return new SignalOutcome(refreshed, RouteDecision.Attach, false);
        }

        // A resolve goes to the incident its dedup key is attached to: its labels need not name the
        // same group (an events API resolve carries none, and labels can change between fire and resolve).
        var latest = signal.Status == SignalStatus.Resolved
            ? await s.Incidents.FindSignalAsync(signal.DedupKey, ct) is { } attached ? await s.Incidents.GetAsync(attached.IncidentId, ct) : null
            : await s.Incidents.LatestInGroupAsync(groupKey, ct);
        var decision = IncidentRules.Route(signal, latest, policy.ReopenWithin, now);
        Incident incident;
        switch (decision)
        {
            case RouteDecision.Ignore:
                return new SignalOutcome(null, decision, false);
            case RouteDecision.UpdateOnly:
                return new SignalOutcome(latest!.Id, decision, await ResolveSignalAsync(s, policy, latest, signal, actor, ct));
            case RouteDecision.Open:
                var level = policy.Level(signal.Severity);
                incident = await s.Incidents.InsertAsync(IncidentRules.Open(signal.Title ?? signal.Summary, level, signal.Service, groupKey, actor,
                    policy.AutoResolves(signal.Source), signal.Labels, now), ct);
                await s.Incidents.AddChecklistAsync(incident.Id, level.Checklist, ct);
                await RecordAsync(s, incident, TimelineKinds.Opened, actor,
                    $"Opened by {signal.Source.ToName()} signal {signal.DedupKey} as {level.Id}", "incident.open", now, null, Json(incident), ct);
                s.Raise(CommitTopics.Incidents | CommitTopics.Openings);
                break;
            case RouteDecision.Reopen:
                incident = IncidentRules.Reopen(latest!, policy.Level(latest!.Severity), now);
                await s.Incidents.UpdateAsync(incident, ct);
                await RecordAsync(s, incident, TimelineKinds.Reopened, actor,
                    $"Reopened: {signal.DedupKey} fired again {Durations.Human(now - latest.ResolvedAt!.Value)} after the incident resolved",
                    "incident.reopen", now, Json(latest), Json(incident), ct);
                s.Raise(CommitTopics.Incidents | CommitTopics.Openings);
                break;
            default:
                incident = latest!;
                break;
        }

        var changed = signal.Status == SignalStatus.Firing
            ? await FireSignalAsync(s, policy, incident, signal, actor, ct)
            : await ResolveSignalAsync(s, policy, incident, signal, actor, ct);
        return new SignalOutcome(incident.Id, decision, changed || decision != RouteDecision.Attach);
    }

    /// <summary>",P0,P1,": the levels at least as severe as <paramref name="candidate"/>, which a signal at it does not raise.</summary>
    private static string NotRaising(IncidentPolicy policy, SeverityLevel candidate)
    {
        var list = new System.Text.StringBuilder(",");
        foreach (var level in policy.Levels)
        {
            if (!IncidentRules.IsMoreSevere(candidate, level))
            {
                list.Append(level.Id).Append(',');
            }
        }

        return list.ToString();
    }

    private static async Task<bool> FireSignalAsync(IStoreSession s, IncidentPolicy policy, Incident incident, Signal signal, string actor, CancellationToken ct)
    {
        var existing = await s.Incidents.GetSignalAsync(incident.Id, signal.DedupKey, ct);
        var isNew = existing is null || existing.Status == SignalStatus.Resolved;
        string? inhibited = existing?.InhibitedReason;
        if (isNew)
        {
            var deps = policy.DependenciesOf(signal.Service);
            var cause = deps.Count == 0 ? null : await s.Incidents.OldestOpenForServicesAsync([.. deps], ct);
            inhibited = cause is null ? null : IncidentRules.InhibitionReason(signal.Service, [cause]);
        }

        await s.Incidents.UpsertSignalAsync(new IncidentSignal(incident.Id, signal.DedupKey, signal.Source, SignalStatus.Firing, signal.Summary,
            signal.Severity, signal.Service, signal.Labels, existing?.FirstAt ?? signal.At, signal.At, null, signal.ExpiresAt,
            (existing?.FireCount ?? 0) + (isNew ? 1 : 0), inhibited), ct);
        var current = policy.Level(incident.Severity);
        var candidate = policy.Level(signal.Severity);
        if (IncidentRules.RaiseSeverity(incident, current, candidate) is { } raised)
        {
            await s.Incidents.UpdateAsync(raised, ct);
            await RecordAsync(s, raised, TimelineKinds.Severity, actor, $"Severity raised {current.Id} → {candidate.Id} by {signal.DedupKey}",
                "incident.severity", s.Now, Json(incident), Json(raised), ct);
            // Escalation re-evaluates an incident raised to a paging severity; timers follow the new ack target.
            s.Raise(CommitTopics.Incidents | CommitTopics.SeverityRaised);
        }

        if (!isNew)
        {
            // A repeat of a firing signal (Alertmanager's repeat_interval, Prometheus' re-sends) only refreshes
            // it, and wakes nobody: a stream of repeats must not spin the escalation loop.
            return false;
        }

        // A new firing signal can release a held escalation, and may carry an expiry the timers must watch.
        s.Raise(CommitTopics.Incidents);

        var text = inhibited is null
            ? $"{signal.Source.ToName()} {signal.DedupKey} firing ({signal.Severity}): {signal.Summary}"
            : $"{signal.Source.ToName()} {signal.DedupKey} firing ({signal.Severity}), inhibited: {inhibited}. It is recorded but does not page: {signal.Summary}";
        if (signal.Flapping)
        {
            text += " [flapping: recorded, not re-paged]";
        }

        await RecordAsync(s, incident, inhibited is null ? TimelineKinds.Signal : TimelineKinds.Inhibited, actor, text, "incident.signal", signal.At, null,
            JsonSerializer.Serialize(new { dedup_key = signal.DedupKey, status = "firing", severity = signal.Severity, inhibited }), ct);

        return true;
    }

    private static async Task<bool> ResolveSignalAsync(IStoreSession s, IncidentPolicy policy, Incident incident, Signal signal, string actor, CancellationToken ct)
    {
        var existing = await s.Incidents.GetSignalAsync(incident.Id, signal.DedupKey, ct);
        if (existing is null || existing.Status == SignalStatus.Resolved)
        {
            return false;
        }

        await s.Incidents.UpsertSignalAsync(existing with { Status = SignalStatus.Resolved, ResolvedAt = signal.At, LastAt = signal.At, ExpiresAt = null }, ct);
        await RecordAsync(s, incident, TimelineKinds.Signal, actor, $"{signal.Source.ToName()} {signal.DedupKey} resolved: {signal.Summary}",
            "incident.signal", signal.At, null, JsonSerializer.Serialize(new { dedup_key = signal.DedupKey, status = "resolved" }), ct);

        if (incident.IsOpen && incident.AutoResolve && await s.Incidents.CountFiringAsync(incident.Id, ct) == 0)
        {
            // Resolved when the last signal did (an expiry swept after a restart, an endsAt in the
            // past), but never before the incident's own latest transition.
            var at = new[] { signal.At < s.Now ? signal.At : s.Now, incident.OpenedAt, incident.AcknowledgedAt ?? default, incident.MitigatedAt ?? default }.Max();
            var resolved = incident with { Status = IncidentStatus.Resolved, ResolvedAt = at };
            await s.Incidents.UpdateAsync(resolved, ct);
            await RecordAsync(s, resolved, TimelineKinds.Resolved, SystemActor, "Auto-resolved: every attached signal has resolved",
                "incident.resolve", at, Json(incident), Json(resolved), ct);
            s.Raise(CommitTopics.Incidents);
        }

        return true;
    }

    /// <summary>Opens an incident by hand (API, CLI): no signal, no auto-resolve, the severity's checklist; wakes escalation on commit.</summary>
    public static async Task<Incident> OpenByHandAsync(IStoreSession s, IncidentPolicy policy, string title, string? severity, string? service, string? summary,
        string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var level = policy.Level(severity ?? policy.Lowest.Id);
        var incident = await s.Incidents.InsertAsync(IncidentRules.Open(title, level, service, "manual:" + Guid.NewGuid().ToString("N"),
            actor, autoResolve: false, new Dictionary<string, string>(), s.Now), ct);
        await s.Incidents.AddChecklistAsync(incident.Id, level.Checklist, ct);
        await RecordAsync(s, incident, TimelineKinds.Opened, actor, $"Opened by hand by {actor} as {level.Id}" +
            (string.IsNullOrWhiteSpace(summary) ? "" : ": " + summary), "incident.open", s.Now, null, Json(incident), ct);
        s.Raise(CommitTopics.Incidents | CommitTopics.Openings);
        return incident;
    }

    /// <summary>Acknowledges the incident a dedup key is attached to, if it is triggered (events API <c>acknowledge</c>).</summary>
    public static async Task<SignalOutcome> AcknowledgeByKeyAsync(IStoreSession s, IncidentPolicy policy, string dedupKey, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var signal = await s.Incidents.FindSignalAsync(dedupKey, ct);
        var incident = signal is null ? null : await s.Incidents.GetAsync(signal.IncidentId, ct);
        if (incident is not { Status: IncidentStatus.Triggered })
        {
            return new SignalOutcome(incident?.Id, RouteDecision.Ignore, false);
        }

        await TransitionAsync(s, policy, incident, LifecycleAction.Acknowledge, actor, $"acknowledge event for {dedupKey}", ct);
        return new SignalOutcome(incident.Id, RouteDecision.Attach, true);
    }

    /// <summary>Applies a lifecycle action; returns the incident after it, or the refusal to show the user.</summary>
    public static async Task<(Incident? Incident, string? Refusal)> TransitionAsync(IStoreSession s, IncidentPolicy policy, Incident incident,
        LifecycleAction action, string actor, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(incident);
        var (next, refusal) = IncidentRules.Apply(incident, action, policy.Level(incident.Severity), s.Now);
        if (next is null)
        {
            return (null, refusal);
        }

        await s.Incidents.UpdateAsync(next, ct);
        if (incident.AcknowledgedAt is null && next.AcknowledgedAt is { } acknowledged)
        {
            VigilMetrics.Acknowledged(next.Severity, acknowledged - next.OpenedAt);
        }

        var (kind, verb) = action switch
        {
            LifecycleAction.Acknowledge => (TimelineKinds.Acknowledged, "acknowledge"),
            LifecycleAction.Mitigate => (TimelineKinds.Mitigated, "mitigate"),
            LifecycleAction.Resolve => (TimelineKinds.Resolved, "resolve"),
            _ => (TimelineKinds.Closed, "close"),
        };
        var text = $"{char.ToUpperInvariant(kind[0])}{kind[1..]} by {actor}{(string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason)}";
        await RecordAsync(s, next, kind, actor, text, "incident." + verb, s.Now, Json(incident), Json(next), ct, reason);
        // Escalation stops (acknowledged) or sends resolve notices (resolved) as soon as this commits.
        s.Raise(CommitTopics.Incidents);
        return (next, null);
    }

    /// <summary>Records ack-target breaches that are due: one timeline entry each, at the time the target passed.</summary>
    public static async Task<int> RecordAckBreachesAsync(IStoreSession s, IncidentPolicy policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var overdue = await s.Incidents.ListAckOverdueAsync(s.Now, 500, ct);
        foreach (var incident in overdue.Where(i => IncidentRules.AckBreached(i, s.Now)))
        {
            var breached = incident with { AckBreachedAt = incident.AckDueAt };
            await s.Incidents.UpdateAsync(breached, ct);
            var target = policy.Level(incident.Severity).AckWithin is { } w ? Durations.Human(w) : "?";
            await RecordAsync(s, breached, TimelineKinds.AckBreach, SystemActor,
                $"Not acknowledged within the {incident.Severity} target of {target}", "incident.ack_breach", incident.AckDueAt!.Value, Json(incident), Json(breached), ct);
        }

        return overdue.Count;
    }

    /// <summary>Resolves firing signals whose expiry passed (Prometheus alerts no longer re-sent).</summary>
    public static async Task<int> ExpireSignalsAsync(IStoreSession s, IncidentPolicy policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(policy);
        var expired = await s.Incidents.ListExpiredSignalsAsync(s.Now, 500, ct);
        foreach (var sig in expired)
        {
            var incident = await s.Incidents.GetAsync(sig.IncidentId, ct);
            if (incident is not null)
            {
                var summary = $"{sig.Summary} (not re-sent before it expired at {sig.ExpiresAt!.Value.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";
                await ResolveSignalAsync(s, policy, incident, new Signal(sig.Source, sig.DedupKey, SignalStatus.Resolved, summary, sig.Severity,
                    sig.Service, sig.Labels, sig.ExpiresAt.Value), SystemActor, ct);
            }
        }

        return expired.Count;
    }

    /// <summary>A timeline entry and its audit entry, written together.</summary>
    public static async Task RecordAsync(IStoreSession s, Incident incident, string kind, string actor, string text, string action,
        DateTimeOffset at, string? before, string? after, CancellationToken ct, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(incident);
        await s.Incidents.AddTimelineAsync(incident.Id, at, kind, actor, text, ct);
        await s.Audit.AppendAsync(new AuditDraft(actor, action, Target(incident.Id), reason ?? text, before, after), ct);
    }

    public static string Target(long id) => "incident/" + id.ToString(CultureInfo.InvariantCulture);

    public static string Json(Incident incident) => JsonSerializer.Serialize(new
    {
        status = incident.Status.ToName(),
        severity = incident.Severity,
        service = incident.Service,
        commander = incident.Commander,
        scribe = incident.Scribe,
        assignee = incident.Assignee,
    });
}
