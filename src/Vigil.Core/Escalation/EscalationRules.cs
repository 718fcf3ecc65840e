using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.OnCall;
using Vigil.Core.Operations;

namespace Vigil.Core.Escalation;

/// <summary>
/// The escalation decisions (pure): whether and how a triggered incident pages, why paging is
/// held, who a step pages, which due steps are superseded, and what a delivery attempt leaves
/// behind. Functions of plain data and <c>now</c>; the escalation loop reads the inputs from the
/// store and writes what these return.
/// </summary>
public static class EscalationRules
{
    /// <summary>
    /// The services whose open incidents may inhibit paging: the dependencies of the firing signals'
    /// services, but only when every firing signal was recorded as inhibited. Empty otherwise.
    /// </summary>
    public static IReadOnlyList<string> InhibitingDependencies(IReadOnlyList<IncidentSignal> firing, IncidentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(firing);
        ArgumentNullException.ThrowIfNull(policy);
        return firing.Count > 0 && firing.All(x => x.InhibitedReason is not null)
            ? firing.SelectMany(x => policy.DependenciesOf(x.Service)).Distinct(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>
    /// Why paging must wait now, or null to page: every firing signal is inhibited by a dependency's
    /// incident that is still open (<paramref name="dependencyCause"/>), every firing signal is
    /// silenced, or a maintenance window covers every service involved.
    /// </summary>
    public static string? HoldReason(Incident incident, IReadOnlyList<IncidentSignal> firing, Incident? dependencyCause,
        IReadOnlyList<Silence> silences, IReadOnlyList<ActiveWindow> windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(firing);
        ArgumentNullException.ThrowIfNull(silences);
        ArgumentNullException.ThrowIfNull(windows);
        if (firing.Count > 0 && firing.All(x => x.InhibitedReason is not null) && dependencyCause is not null
            && IncidentRules.InhibitionReason(incident.Service ?? firing[0].Service, [dependencyCause]) is { } inhibited)
        {
            return "inhibited: " + inhibited;
        }

        var active = silences.Where(x => x.IsActiveAt(now)).ToList();
        if (firing.Count > 0 && active.Count > 0)
        {
            var matched = firing.Select(x => active.FirstOrDefault(silence => silence.Matches(SilenceLabels(x)))).ToList();
            if (matched.All(m => m is not null))
            {
                var first = matched[0]!;
                return $"silenced by #{first.Id} ({first.Comment}) until {first.EndsAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
            }
        }

        var services = firing.Select(x => x.Service).Append(incident.Service).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (services.Count > 0 && services.All(svc => windows.Any(w => w.Covers(svc))) && windows.FirstOrDefault(w => w.Covers(services[0])) is { } window)
        {
            return $"suppressed by window {window.Id} ({window.Reason}) until {window.EndsAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
        }

        return null;
    }

    /// <summary>
    /// When a hold by a silence or a maintenance window may next end on its own: the earliest end after
    /// <paramref name="now"/> of the silences and windows active now, or null when none is. Escalation wakes
    /// then to re-check what they held (a hold ended early, by expiry or cancellation, raises
    /// <see cref="Storage.CommitTopics.Holds"/> instead).
    /// </summary>
    public static DateTimeOffset? NextHoldEnd(IReadOnlyList<Silence> silences, IReadOnlyList<ActiveWindow> windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silences);
        ArgumentNullException.ThrowIfNull(windows);
        return silences.Where(x => x.IsActiveAt(now)).Select(x => x.EndsAt)
            .Concat(windows.Where(w => w.StartsAt <= now && now < w.EndsAt).Select(w => w.EndsAt))
            .Select(end => (DateTimeOffset?)end).Min();
    }

    /// <summary>A signal's labels for silence matching, with its routed service as <c>service</c>.</summary>
    public static IReadOnlyDictionary<string, string> SilenceLabels(IncidentSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var labels = new Dictionary<string, string>(signal.Labels, StringComparer.Ordinal);
        if (signal.Service is not null)
        {
            labels["service"] = signal.Service;
        }

        return labels;
    }

    /// <summary>
    /// Starts, holds or skips the escalation of a triggered incident. <paramref name="hold"/> is
    /// <see cref="HoldReason"/> for it now.
    /// </summary>
    public static EscalationEvaluation Evaluate(Incident incident, EscalationRecord? existing, IncidentPolicy policy, string? hold, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(policy);
        // Reopened since its last escalation: plan afresh (the ledger keeps what was sent before).
        var replan = existing is not null && existing.Generation != incident.Reopened;
        if (replan)
        {
            existing = null;
        }

        var level = policy.Level(incident.Severity);
        var severity = policy.Config.FindSeverity(level.Id);
        IReadOnlyList<string> tickets = existing is null ? severity?.Notify ?? [] : [];
        EscalationRecord Record(EscalationStatus status, string? policyId, string? reason, DateTimeOffset? started) =>
            new(incident.Id, incident.Reopened, incident.Severity, policyId, status, reason, started, now, false);

        if (!level.Page)
        {
            return new(replan, tickets, existing, Record(EscalationStatus.None, null, $"severity {level.Id} does not page", null), []);
        }

        if (hold is not null)
        {
            var unchanged = existing?.Status == EscalationStatus.Held && existing.Reason == hold;
            return new(replan, tickets, existing, unchanged ? null : Record(EscalationStatus.Held, null, hold, null), []);
        }

        var escalation = policy.Config.ResolveEscalationPolicy(incident.Service is null ? null : policy.Config.FindService(incident.Service), severity ?? policy.Config.Severities[^1]);
        if (escalation is null)
        {
            return new(replan, tickets, existing, Record(EscalationStatus.None, null,
                "no escalation policy applies (set `escalation_policy` on the service or severity, or define a policy with id `default`)", null), []);
        }

        return new(replan, tickets, existing,
            Record(EscalationStatus.Running, escalation.Id, existing?.Status == EscalationStatus.Held ? $"no longer held ({existing.Reason})" : null, now),
            EscalationPlanner.Plan(escalation, now));
    }

    /// <summary>After downtime several passes of the same step can be due at once: only the latest pass pages.</summary>
    public static bool IsSuperseded(EscalationStepRecord step, IReadOnlyList<EscalationStepRecord> due)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(due);
        return due.Any(o => o.IncidentId == step.IncidentId && o.Step == step.Step && o.Repeat > step.Repeat);
    }

    /// <summary>
    /// The concrete deliveries of one escalation target at <paramref name="now"/>: a notifier directly,
    /// whoever is on call for a schedule (with <paramref name="overrides"/>), or a person if available now;
    /// with a note instead when nobody can be paged for it.
    /// </summary>
    public static IReadOnlyList<PageDelivery> Deliveries(VigilConfig config, NotifyTarget target, Incident incident, IReadOnlyList<OnCallOverride> overrides, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(overrides);
        var name = target.ToConfigString();
        switch (target.Kind)
        {
            case NotifyTargetKind.Notifier:
                return config.FindNotifier(target.Id) is { } direct && Wants(direct, incident)
                    ? [new PageDelivery(name, direct.Id, null, null)]
                    : [];
            case NotifyTargetKind.Schedule:
                var schedule = config.FindSchedule(target.Id);
                if (schedule is null)
                {
                    return [new PageDelivery(name, null, null, $"schedule {target.Id} is no longer configured")];
                }

                var shift = ScheduleResolver.OnCallAt(schedule, overrides.Where(o => o.ScheduleId == schedule.Id).ToList(), now);
                return shift.PersonId is { } onCall && config.FindPerson(onCall) is { } p
                    ? PersonDeliveries(config, p, incident, name, checkAvailability: false, now)
                    : [new PageDelivery(name, null, null, $"nobody is on call for schedule {schedule.Id}")];
            default:
                return config.FindPerson(target.Id) is { } person
                    ? PersonDeliveries(config, person, incident, name, checkAvailability: true, now)
                    : [new PageDelivery(name, null, null, $"person {target.Id} is no longer configured")];
        }
    }

    private static IReadOnlyList<PageDelivery> PersonDeliveries(VigilConfig config, PersonConfig person, Incident incident, string target, bool checkAvailability, DateTimeOffset now)
    {
        if (checkAvailability && !PersonAvailability.IsAvailable(person, now))
        {
            return [new PageDelivery(target, null, person, $"skipped {person.Name} ({person.Availability.ToString().ToLowerInvariant()}, not available now)")];
        }

        var notifiers = person.NotifyVia.Count > 0
            ? person.NotifyVia.Select(config.FindNotifier).OfType<NotifierConfig>()
            : config.Notifiers.Where(n => (n.Email is not null && person.Email is not null) || (n.Slack is not null && person.Slack is not null));
        var list = notifiers.Where(n => Wants(n, incident)).Select(n => new PageDelivery(target, n.Id, person, null)).ToList();
        return list.Count > 0 ? list : [new PageDelivery(target, null, person, $"no notifier can reach {person.Name} (set `notify_via`, an e-mail or a Slack handle)")];
    }

    /// <summary>Whether a notifier takes incidents of this severity (no list: all).</summary>
    public static bool Wants(NotifierConfig notifier, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(incident);
        return notifier.Severities.Count == 0 || notifier.Severities.Contains(incident.Severity);
    }

    /// <summary>The ledger key of a notification: unique per incident generation, kind, step, pass, target, notifier and person.</summary>
    public static string NotificationKey(Incident incident, NotificationKind kind, int step, int repeat, string target, string notifierId, string? personId)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return string.Join('|', incident.Id.ToString(CultureInfo.InvariantCulture), "g" + incident.Reopened.ToString(CultureInfo.InvariantCulture),
            kind.ToString().ToLowerInvariant(), step.ToString(CultureInfo.InvariantCulture),
            repeat.ToString(CultureInfo.InvariantCulture), target, notifierId, personId ?? "-");
    }

    /// <summary>
    /// The resolve notices to queue for a resolved incident: one per (target, notifier) that was paged,
    /// where that notifier still exists and sends resolve notices.
    /// </summary>
    public static IReadOnlyList<NotificationRecord> ResolveNotices(VigilConfig config, IReadOnlyList<NotificationRecord> sent)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sent);
        return sent.Where(n => n.Kind == NotificationKind.Trigger).DistinctBy(n => (n.Target, n.NotifierId))
            .Where(n => config.FindNotifier(n.NotifierId)?.SendResolved ?? false).ToList();
    }

    /// <summary>
    /// The ledger row after one delivery attempt: delivered; failed for good (the notifier is gone or
    /// the attempts are used up); or pending with the next attempt after a full-jitter backoff drawn
    /// with <paramref name="unit"/>, a number in [0, 1) from the injected random source.
    /// </summary>
    public static NotificationRecord AfterAttempt(NotificationRecord notification, DeliveryResult result, RetryConfig? retry, double unit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(result);
        var attempt = notification.Attempts + 1;
        var giveUp = GivesUp(result, retry, attempt);
        return notification with
        {
            Attempts = attempt,
            State = result.Success ? NotificationState.Delivered : giveUp ? NotificationState.Failed : NotificationState.Pending,
            NextAttemptAt = result.Success || giveUp ? null : now + EscalationPlanner.Backoff(retry!, attempt, unit),
            UpdatedAt = now,
            LastError = result.Error,
        };
    }

    /// <summary>A failed attempt is the last one when the notifier is gone (<paramref name="retry"/> null) or its attempts are used up.</summary>
    public static bool GivesUp(DeliveryResult result, RetryConfig? retry, int attempt)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Success && (retry is null || attempt >= retry.Attempts);
    }
}
