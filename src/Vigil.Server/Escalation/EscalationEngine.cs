using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.OnCall;
using Vigil.Core.Operations;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;
using Vigil.Server.Notifications;

namespace Vigil.Server.Escalation;

/// <summary>
/// Pages people. A thin loop around stored timers: each sweep (1) starts, holds or skips the
/// escalation of triggered incidents, (2) stops escalations of incidents that were acknowledged
/// or resolved and queues resolve notices, (3) turns due steps into notifications (one ledger row
/// per incident, kind, step, repeat, target and notifier — unique, so a page is never created
/// twice), and (4) delivers due notifications with retries and backoff, recording every attempt.
/// Steps and retries are rows with due times: a restart resumes where the store says.
/// </summary>
public sealed class EscalationEngine(IVigilStore store, IncidentPolicies policies, INotificationChannel channel, TimeProvider time,
    HealthBoard health) : SweepLoop(time, health)
{
    public override string HealthName => "escalation";

    public const string Actor = "system:escalation";

    private const int Batch = 200;

    protected override TimeSpan MaxSleep { get; } = TimeSpan.FromSeconds(2);

    protected override int FullBatch => Batch;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => store.ReadAsync((s, c) => s.Paging.NextDueAsync(c), ct);

    /// <summary>Runs everything that is due now; returns how much work it did.</summary>
    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var policy = policies.Current;
        var work = await store.RecordAsync((s, c) => PlanAsync(s, policy, c), ct);
        var due = await store.ReadAsync((s, c) => s.Paging.ListDueNotificationsAsync(s.Now, Batch, c), ct);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (n, c) => await DeliverAsync(policy, n, c));
        return work + due.Count;
    }

    private static async Task<int> PlanAsync(IStoreSession s, IncidentPolicy policy, CancellationToken ct)
    {
        var work = 0;
        foreach (var id in await s.Paging.ListIncidentsToEvaluateAsync(Batch, ct))
        {
            work += await EvaluateAsync(s, policy, id, ct);
        }

        foreach (var id in await s.Paging.ListEscalationsToStopAsync(Batch, ct))
        {
            work += await StopAsync(s, policy, id, ct);
        }

        var due = await s.Paging.ListDueStepsAsync(s.Now, Batch, ct);
        foreach (var step in due)
        {
            // After downtime several passes of the same step can be due at once: page the latest only.
            var superseded = due.Any(o => o.IncidentId == step.IncidentId && o.Step == step.Step && o.Repeat > step.Repeat);
            work += superseded
                ? await CancelStepAsync(s, step, "superseded by a later pass that is also due (Vigil was down)", ct)
                : await RunStepAsync(s, policy, step, ct);
        }

        return work;
    }

    /// <summary>Starts, holds or skips the escalation of a triggered incident.</summary>
    private static async Task<int> EvaluateAsync(IStoreSession s, IncidentPolicy policy, long id, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(id, ct);
        if (incident is null)
        {
            return 0;
        }

        var existing = await s.Paging.GetEscalationAsync(id, ct);
        if (existing is not null && existing.Generation != incident.Reopened)
        {
            // Reopened since its last escalation: plan afresh (the ledger keeps what was sent before).
            await s.Paging.DeleteStepsAsync(id, ct);
            existing = null;
        }

        var level = policy.Level(incident.Severity);
        var severity = policy.Config.FindSeverity(level.Id);
        if (existing is null)
        {
            // Low-urgency channels named by the severity hear about every incident once.
            foreach (var notifierId in severity?.Notify ?? [])
            {
                await QueueAsync(s, incident, NotificationKind.Ticket, -1, 0, "notifier:" + notifierId, notifierId, null, ct);
            }
        }

        if (!level.Page)
        {
            await SetAsync(s, incident, existing, new EscalationRecord(id, incident.Reopened, incident.Severity, null, EscalationStatus.None, $"severity {level.Id} does not page", null, s.Now, false), ct);
            return 1;
        }

        var hold = await HoldReasonAsync(s, policy, incident, ct);
        if (hold is not null)
        {
            if (existing?.Status != EscalationStatus.Held || existing.Reason != hold)
            {
                await SetAsync(s, incident, existing, new EscalationRecord(id, incident.Reopened, incident.Severity, null, EscalationStatus.Held, hold, null, s.Now, false), ct);
            }

            return existing?.Status == EscalationStatus.Held && existing.Reason == hold ? 0 : 1;
        }

        var escalation = policy.Config.ResolveEscalationPolicy(incident.Service is null ? null : policy.Config.FindService(incident.Service), severity ?? policy.Config.Severities[^1]);
        if (escalation is null)
        {
            await SetAsync(s, incident, existing, new EscalationRecord(id, incident.Reopened, incident.Severity, null, EscalationStatus.None,
                "no escalation policy applies (set `escalation_policy` on the service or severity, or define a policy with id `default`)", null, s.Now, false), ct);
            return 1;
        }

        await s.Paging.AddStepsAsync(id, EscalationPlanner.Plan(escalation, s.Now), ct);
        await SetAsync(s, incident, existing, new EscalationRecord(id, incident.Reopened, incident.Severity, escalation.Id, EscalationStatus.Running,
            existing?.Status == EscalationStatus.Held ? $"no longer held ({existing.Reason})" : null, s.Now, s.Now, false), ct);
        return 1;
    }

    /// <summary>Why paging must wait now: every firing signal is inhibited or silenced, or a window covers the service. Null to page.</summary>
    private static async Task<string?> HoldReasonAsync(IStoreSession s, IncidentPolicy policy, Incident incident, CancellationToken ct)
    {
        var firing = (await s.Incidents.ListSignalsAsync(incident.Id, ct)).Where(x => x.Status == SignalStatus.Firing).ToList();
        if (firing.Count > 0 && firing.All(x => x.InhibitedReason is not null))
        {
            // Inhibited only while the dependency's incident is still open: re-check it now.
            var deps = firing.SelectMany(x => policy.DependenciesOf(x.Service)).Distinct(StringComparer.Ordinal).ToList();
            var cause = deps.Count == 0 ? null : await s.Incidents.OldestOpenForServicesAsync(deps, ct);
            var reason = cause is null ? null : IncidentRules.InhibitionReason(incident.Service ?? firing[0].Service, [cause]);
            if (reason is not null)
            {
                return "inhibited: " + reason;
            }
        }

        var silences = (await s.Operations.ListSilencesAsync(s.Now, ct)).Where(x => x.IsActiveAt(s.Now)).ToList();
        if (firing.Count > 0 && silences.Count > 0)
        {
            var matched = firing.Select(x => silences.FirstOrDefault(silence => silence.Matches(SilenceLabels(x)))).ToList();
            if (matched.All(m => m is not null))
            {
                var first = matched[0]!;
                return $"silenced by #{first.Id} ({first.Comment}) until {first.EndsAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
            }
        }

        var windows = MaintenanceWindows.Active(policy.Config.Maintenance, await s.Operations.ListWindowsAsync(s.Now, ct), s.Now);
        var services = firing.Select(x => x.Service).Append(incident.Service).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (services.Count > 0 && services.All(svc => windows.Any(w => w.Covers(svc))) && windows.FirstOrDefault(w => w.Covers(services[0])) is { } window)
        {
            return $"suppressed by window {window.Id} ({window.Reason}) until {window.EndsAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
        }

        return null;
    }

    /// <summary>A signal's labels for silence matching, with its routed service as <c>service</c>.</summary>
    private static Dictionary<string, string> SilenceLabels(IncidentSignal signal)
    {
        var labels = new Dictionary<string, string>(signal.Labels, StringComparer.Ordinal);
        if (signal.Service is not null)
        {
            labels["service"] = signal.Service;
        }

        return labels;
    }

    /// <summary>Cancels the remaining steps of an acknowledged or resolved incident; on resolve, queues resolve notices.</summary>
    private static async Task<int> StopAsync(IStoreSession s, IncidentPolicy policy, long id, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(id, ct);
        var escalation = await s.Paging.GetEscalationAsync(id, ct);
        if (incident is null || escalation is null)
        {
            return 0;
        }

        if (escalation.Status == EscalationStatus.Running)
        {
            var cancelled = await s.Paging.CancelPendingStepsAsync(id, ct);
            var next = escalation with { Status = EscalationStatus.Stopped, Reason = incident.Status.ToName(), UpdatedAt = s.Now };
            await SetAsync(s, incident, escalation, next, ct, $"Escalation stopped ({incident.Status.ToName()}): {cancelled} pending step(s) cancelled");
            escalation = next;
        }

        if (incident.Status is IncidentStatus.Resolved or IncidentStatus.Closed && !escalation.ResolveSent)
        {
            var paged = (await s.Paging.ListNotificationsAsync(id, false, 10_000, ct)).Where(n => n.Kind == NotificationKind.Trigger)
                .DistinctBy(n => (n.Target, n.NotifierId)).ToList();
            foreach (var n in paged.Where(n => policy.Config.FindNotifier(n.NotifierId)?.SendResolved ?? false))
            {
                await QueueAsync(s, incident, NotificationKind.Resolve, 0, 0, n.Target, n.NotifierId, n.PersonId is null ? null : policy.Config.FindPerson(n.PersonId), ct);
            }

            await s.Paging.UpsertEscalationAsync(escalation with { ResolveSent = true, UpdatedAt = s.Now }, ct);
        }

        return 1;
    }

    /// <summary>A due step: page its targets (skipping people who are not available now) unless the incident was acknowledged meanwhile.</summary>
    private static async Task<int> RunStepAsync(IStoreSession s, IncidentPolicy policy, EscalationStepRecord step, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(step.IncidentId, ct);
        var escalation = await s.Paging.GetEscalationAsync(step.IncidentId, ct);
        var config = escalation?.PolicyId is { } pid ? policy.Config.FindEscalationPolicy(pid) : null;
        if (incident is not { Status: IncidentStatus.Triggered })
        {
            await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, "cancelled", ct);
            return 1;
        }

        if (config is null || step.Step >= config.Steps.Count)
        {
            return await CancelStepAsync(s, step, $"escalation policy {escalation?.PolicyId} no longer has this step (config changed)", ct);
        }

        var paged = new List<string>();
        var skipped = new List<string>();
        foreach (var target in config.Steps[step.Step].Notify)
        {
            foreach (var (targetName, notifierId, person, note) in await ResolveAsync(s, policy, target, incident, ct))
            {
                if (note is not null)
                {
                    skipped.Add(note);
                }
                else if (await QueueAsync(s, incident, NotificationKind.Trigger, step.Step, step.Repeat, targetName, notifierId!, person, ct))
                {
                    paged.Add($"{person?.Name ?? targetName} via {notifierId}");
                }
            }
        }

        await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, "done", ct);
        var text = string.Create(CultureInfo.InvariantCulture, $"Escalation step {step.Step + 1}{(step.Repeat > 0 ? $" (repeat {step.Repeat})" : "")} of {config.Id}: ")
            + (paged.Count == 0 ? "nobody to page" : "paging " + string.Join(", ", paged))
            + (skipped.Count == 0 ? "" : "; " + string.Join("; ", skipped));
        await IncidentWriter.RecordAsync(s, incident, "page", Actor, text, "incident.page", step.DueAt, null, null, ct);
        return 1;
    }

    private static async Task<int> CancelStepAsync(IStoreSession s, EscalationStepRecord step, string why, CancellationToken ct)
    {
        await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, "cancelled", ct);
        if (await s.Incidents.GetAsync(step.IncidentId, ct) is { } incident)
        {
            await IncidentWriter.RecordAsync(s, incident, "escalation", Actor,
                string.Create(CultureInfo.InvariantCulture, $"Escalation step {step.Step + 1} (repeat {step.Repeat}) skipped: {why}"), "incident.escalation", s.Now, null, null, ct);
        }

        return 1;
    }

    /// <summary>The concrete (target, notifier, person) deliveries of one escalation target, or notes on why none.</summary>
    private static async Task<IReadOnlyList<(string Target, string? Notifier, PersonConfig? Person, string? Note)>> ResolveAsync(IStoreSession s, IncidentPolicy policy,
        NotifyTarget target, Incident incident, CancellationToken ct)
    {
        var config = policy.Config;
        switch (target.Kind)
        {
            case NotifyTargetKind.Notifier:
                return config.FindNotifier(target.Id) is { } direct && Wants(direct, incident)
                    ? [(target.ToConfigString(), direct.Id, null, null)]
                    : [];
            case NotifyTargetKind.Schedule:
                var schedule = config.FindSchedule(target.Id);
                if (schedule is null)
                {
                    return [(target.ToConfigString(), null, null, $"schedule {target.Id} is no longer configured")];
                }

                var overrides = (await s.Paging.ListOverridesAsync(s.Now, ct)).Where(o => o.ScheduleId == schedule.Id).ToList();
                var shift = ScheduleResolver.OnCallAt(schedule, overrides, s.Now);
                return shift.PersonId is { } onCall && config.FindPerson(onCall) is { } p
                    ? PersonDeliveries(config, p, incident, target.ToConfigString(), checkAvailability: false)
                    : [(target.ToConfigString(), null, null, $"nobody is on call for schedule {schedule.Id}")];
            default:
                return config.FindPerson(target.Id) is { } person
                    ? PersonDeliveries(config, person, incident, target.ToConfigString(), checkAvailability: true, now: s.Now)
                    : [(target.ToConfigString(), null, null, $"person {target.Id} is no longer configured")];
        }
    }

    private static IReadOnlyList<(string, string?, PersonConfig?, string?)> PersonDeliveries(VigilConfig config, PersonConfig person, Incident incident, string target,
        bool checkAvailability, DateTimeOffset now = default)
    {
        if (checkAvailability && !PersonAvailability.IsAvailable(person, now))
        {
            return [(target, null, person, $"skipped {person.Name} ({person.Availability.ToString().ToLowerInvariant()}, not available now)")];
        }

        var notifiers = person.NotifyVia.Count > 0
            ? person.NotifyVia.Select(config.FindNotifier).OfType<NotifierConfig>()
            : config.Notifiers.Where(n => (n.Email is not null && person.Email is not null) || (n.Slack is not null && person.Slack is not null));
        var list = notifiers.Where(n => Wants(n, incident)).Select(n => (target, (string?)n.Id, (PersonConfig?)person, (string?)null)).ToList();
        return list.Count > 0 ? list : [(target, null, person, $"no notifier can reach {person.Name} (set `notify_via`, an e-mail or a Slack handle)")];
    }

    private static bool Wants(NotifierConfig notifier, Incident incident) => notifier.Severities.Count == 0 || notifier.Severities.Contains(incident.Severity);

    /// <summary>Adds a ledger row unless its key exists; returns whether it was new.</summary>
    private static async Task<bool> QueueAsync(IStoreSession s, Incident incident, NotificationKind kind, int step, int repeat, string target, string notifierId,
        PersonConfig? person, CancellationToken ct)
    {
        var key = string.Join('|', incident.Id.ToString(CultureInfo.InvariantCulture), "g" + incident.Reopened.ToString(CultureInfo.InvariantCulture),
            kind.ToString().ToLowerInvariant(), step.ToString(CultureInfo.InvariantCulture),
            repeat.ToString(CultureInfo.InvariantCulture), target, notifierId, person?.Id ?? "-");
        return await s.Paging.AddNotificationAsync(new NotificationRecord(0, key, incident.Id, kind, step, repeat, target, notifierId, person?.Id,
            NotificationState.Pending, 0, s.Now, s.Now, s.Now, null), ct) is not null;
    }

    private static async Task SetAsync(IStoreSession s, Incident incident, EscalationRecord? before, EscalationRecord after, CancellationToken ct, string? text = null)
    {
        await s.Paging.UpsertEscalationAsync(after, ct);
        text ??= after.Status switch
        {
            EscalationStatus.Running => $"Escalation started with policy {after.PolicyId}" + (after.Reason is null ? "" : $", {after.Reason}"),
            EscalationStatus.Held => "Paging held: " + after.Reason,
            _ => "Not paging: " + after.Reason,
        };
        await IncidentWriter.RecordAsync(s, incident, "escalation", Actor, text, "incident.escalation", s.Now,
            before is null ? null : JsonSerializer.Serialize(new { status = before.Status.ToString().ToLowerInvariant(), before.Reason }),
            JsonSerializer.Serialize(new { status = after.Status.ToString().ToLowerInvariant(), after.Reason, policy = after.PolicyId }), ct);
    }

    /// <summary>One delivery attempt, outside any transaction; then its ledger entry (and on the last failure, the give-up on the timeline).</summary>
    private async Task DeliverAsync(IncidentPolicy policy, NotificationRecord n, CancellationToken ct)
    {
        var config = policy.Config;
        var notifier = config.FindNotifier(n.NotifierId);
        var incident = await store.ReadAsync((s, c) => s.Incidents.GetAsync(n.IncidentId, c), ct);
        if (incident is null)
        {
            return;
        }

        var attempt = n.Attempts + 1;
        DeliveryResult result;
        if (n.Kind == NotificationKind.Trigger && incident.Status != IncidentStatus.Triggered)
        {
            // Acknowledged or resolved while this page waited for a retry: do not page any more.
            await store.RecordAsync(async (s, c) =>
            {
                await s.Paging.UpdateNotificationAsync(n with { State = NotificationState.Failed, NextAttemptAt = null, UpdatedAt = s.Now,
                    LastError = $"not sent: the incident was {incident.Status.ToName()} before this attempt" }, c);
                await IncidentWriter.RecordAsync(s, incident, "notification", Actor, $"Page to {n.PersonId ?? n.Target} via {n.NotifierId} withdrawn: incident {incident.Status.ToName()}",
                    "notification.withdrawn", s.Now, null, null, c);
                return 0;
            }, CancellationToken.None);
            return;
        }

        if (notifier is null)
        {
            result = DeliveryResult.Failed($"notifier {n.NotifierId} is no longer configured", TimeSpan.Zero);
        }
        else
        {
            var person = n.PersonId is null ? null : config.FindPerson(n.PersonId);
            var summary = (await store.ReadAsync((s, c) => s.Incidents.ListSignalsAsync(n.IncidentId, c), ct)).FirstOrDefault()?.Summary ?? incident.Title;
            var message = new NotificationMessage(n.Key, n.Kind, incident.Id, incident.Title, incident.Severity, incident.Service, incident.Status.ToName(), summary,
                config.Vigil.PublicUrl is { } url ? $"{url.TrimEnd('/')}/api/v1/incidents/{incident.Id}" : null, n.CreatedAt, n.Step, n.Repeat,
                person is null ? null : new NotificationRecipient(person.Id, person.Name, person.Email, person.Slack, person.Phone), config.Vigil.Name);
            result = await channel.SendAsync(notifier, message, ct);
        }

        var retry = notifier?.Retry ?? new RetryConfig();
        var giveUp = !result.Success && (notifier is null || attempt >= retry.Attempts);
        await store.RecordAsync(async (s, c) =>
        {
            await s.Paging.AddAttemptAsync(new DeliveryAttempt(0, n.Id, attempt, s.Now, result.Success, result.HttpStatus, result.Reply,
                (long)result.Latency.TotalMilliseconds, result.Error), c);
            var next = n with
            {
                Attempts = attempt,
                State = result.Success ? NotificationState.Delivered : giveUp ? NotificationState.Failed : NotificationState.Pending,
                NextAttemptAt = result.Success || giveUp ? null : s.Now + EscalationPlanner.Backoff(retry, attempt, Random.Shared.NextDouble()),
                UpdatedAt = s.Now,
                LastError = result.Error,
            };
            await s.Paging.UpdateNotificationAsync(next, c);
            var who = n.PersonId ?? n.Target;
            if (result.Success)
            {
                await IncidentWriter.RecordAsync(s, incident, "notification", Actor,
                    $"{Kind(n.Kind)} {who} via {n.NotifierId} delivered (attempt {attempt}, {(long)result.Latency.TotalMilliseconds} ms{(result.Reply is null ? "" : ", " + result.Reply)})",
                    "notification.delivered", s.Now, null, null, c);
            }
            else if (giveUp)
            {
                await IncidentWriter.RecordAsync(s, incident, "notification", Actor,
                    $"Gave up: {Kind(n.Kind).ToLowerInvariant()} {who} via {n.NotifierId} failed {attempt} time(s); last error: {result.Error}",
                    "notification.failed", s.Now, null, null, c);
            }

            return 0;
        }, CancellationToken.None);
    }

    private static string Kind(NotificationKind kind) => kind switch
    {
        NotificationKind.Trigger => "Page to",
        NotificationKind.Resolve => "Resolve notice to",
        _ => "Notice to",
    };
}
