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
using Vigil.Core.Telemetry;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;
using Vigil.Server.Notifications;
using Vigil.Server.Telemetry;

namespace Vigil.Server.Escalation;

/// <summary>
/// Pages people. A thin loop around stored timers: each sweep (1) starts, holds or skips the
/// escalation of triggered incidents, (2) stops escalations of incidents that were acknowledged
/// or resolved and queues resolve notices, (3) turns due steps into notifications (one ledger row
/// per incident, kind, step, repeat, target and notifier — unique, so a page is never created
/// twice), and (4) delivers due notifications with retries and backoff, recording every attempt.
/// Steps and retries are rows with due times: a restart resumes where the store says.
/// <para>
/// The decisions are <see cref="EscalationRules"/> (Core, pure); this class reads their inputs and
/// writes what they return. It wakes at once when a commit raises <see cref="CommitTopics.Incidents"/>
/// (an incident opened, reopened, raised, acknowledged or resolved) or <see cref="CommitTopics.Holds"/>
/// (a silence expired or a window cancelled), otherwise at the next due step or retry, or when an active
/// silence or maintenance window ends (<see cref="EscalationRules.NextHoldEnd"/>), which re-checks what it
/// held. <see cref="MaxSleep"/> is only a backstop. Retry jitter comes from the injected <see cref="Random"/>.
/// </para>
/// <para>
/// Held escalations are re-checked in full passes (every one of them, a page at a time) outside the write lock; only those
/// whose hold ended or changed are written. A pass runs at once when a hold ended (a silence expired, a window cancelled or
/// over) and at start; after other commits (an inhibiting incident resolved, a held incident's signals changed) at most once
/// per <see cref="HeldRecheckInterval"/>, so a stream of intake commits does not re-read every held incident on each commit.
/// </para>
/// </summary>
public sealed class EscalationEngine(IVigilStore store, IncidentPolicies policies, INotificationChannel channel, TimeProvider time,
    HealthBoard health, Random jitter, IncidentTraces? traces = null, AckLinks.AckLinkService? ackLinks = null) : SweepLoop(time, health)
{
    private readonly Lock _jitterLock = new();
    private readonly IncidentTraces _traces = traces ?? new IncidentTraces();

    public override string HealthName => "escalation";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    public const string Actor = "system:escalation";

    private const int Batch = 200;

    /// <summary>
    /// A backstop only: commits and due times wake the loop. It covers a hold ended by a config reload
    /// (a maintenance window removed from the file), which commits nothing escalation waits on.
    /// </summary>
    protected override TimeSpan MaxSleep { get; } = TimeSpan.FromSeconds(30);

    protected override int FullBatch => Batch;

    /// <summary>
    /// The longest a held escalation waits to be re-checked after a commit that may have ended its hold without being a
    /// hold's own end (its inhibiting incident resolved, its signals changed). Holds that end by a silence or window are
    /// re-checked at once.
    /// </summary>
    public static readonly TimeSpan HeldRecheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>When held escalations were last re-checked; null before the first pass.</summary>
    private DateTimeOffset? _heldCheckedAt;

    /// <summary>A pass was put off by <see cref="HeldRecheckInterval"/>: the loop wakes for it even if nothing else commits.</summary>
    private bool _heldRecheckOwed;

    /// <summary>A pass over held escalations is owed at start.</summary>
    private bool _firstHeldPassOwed = true;

    /// <summary>
    /// The commits the loop notes between sweeps: a hold ended early (<see cref="CommitTopics.Holds"/>: a silence expired, a
    /// window cancelled), which owes a pass over held escalations at once; and the only commits that can give it an incident to
    /// evaluate (an opening or reopening, a severity raise), without which it skips that look. Created on the loop's first turn;
    /// a direct <see cref="SweepAsync(CancellationToken)"/> has none and does everything.
    /// </summary>
    private sealed record Latches(CommitLatch HoldsEnded, CommitLatch Openings, CommitLatch Raises);

    private Latches? _latches;

    /// <summary>The last look for incidents to evaluate filled a batch: the next sweep looks again.</summary>
    private bool _evaluateOwed;

    /// <summary>When the sweep last looked for incidents to evaluate.</summary>
    private DateTimeOffset _evaluatedAt = DateTimeOffset.MinValue;

    /// <summary>The end of the earliest active silence or window, as of the last turn.</summary>
    private DateTimeOffset? _nextHoldEnd;

    /// <summary>The next due step or retry, the end of an active silence or window, or an owed re-check of held escalations.</summary>
    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        var policy = policies.Current;
        return store.ReadAsync(async (s, c) =>
        {
            var due = await s.Paging.NextDueAsync(c);
            var holds = await Holds.ReadAsync(s, policy, c);
            _nextHoldEnd = EscalationRules.NextHoldEnd(holds.Silences, holds.Windows, s.Now);
            DateTimeOffset? owed = _heldRecheckOwed && _heldCheckedAt is { } at ? at + HeldRecheckInterval : null;
            return new[] { due, _nextHoldEnd, owed }.Min();
        }, ct);
    }

    /// <summary>
    /// Wakes on commits that changed incidents (opened, reopened, raised, acknowledged, resolved…), queued
    /// notifications from elsewhere, or ended a hold early (silence expired, window cancelled). This loop's
    /// own commits raise none of these, so it never wakes itself.
    /// </summary>
    protected override Task? NextWorkAsync(CancellationToken ct)
    {
        // Openings and raises come with Incidents; their latches are in the wake-up too, for a signal landing after the sweep looked.
        var latches = _latches ??= new(new(store, CommitTopics.Holds), new(store, CommitTopics.Openings), new(store, CommitTopics.SeverityRaised));
        return Task.WhenAny(store.NextCommitAsync(CommitTopics.Incidents | CommitTopics.Notifications, ct), latches.HoldsEnded.Raised,
            latches.Openings.Raised, latches.Raises.Raised);
    }

    /// <summary>Runs everything that is due now; returns how much work it did.</summary>
    public override Task<int> SweepAsync(CancellationToken ct) => SweepAsync(full: true, ct);

    /// <summary>The loop looks for incidents to evaluate only when its wake-ups say there may be some (see <see cref="_latches"/>).</summary>
    protected override Task<int> LoopSweepAsync(CancellationToken ct) => SweepAsync(full: false, ct);

    private async Task<int> SweepAsync(bool full, CancellationToken ct)
    {
        var policy = policies.Current;
        // Held escalations released first, so the steps they plan run in the same sweep.
        var work = await RecheckHeldAsync(policy, ct);
        // Incidents to evaluate come only from openings and severity raises (and, at most every MaxSleep, from what commits
        // no topic: an import): the other incident commits of a storm skip that look, which reads every triggered incident.
        var now = Time.GetUtcNow();
        // Both latches are taken (not short-circuited), so a look made for one also covers the other.
        var raised = _latches is not { } latches || latches.Openings.Take() | latches.Raises.Take();
        var evaluate = full || raised || _evaluateOwed || now - _evaluatedAt >= MaxSleep;
        if (evaluate)
        {
            _evaluateOwed = false;
            _evaluatedAt = now;
        }

        // Look before taking the write lock: a wake-up for a commit that left nothing to plan (a new
        // signal on an escalating incident) then costs one read, not a write transaction.
        var (plan, claimable) = await store.ReadAsync(async (s, c) => (
            (evaluate ? (await s.Paging.ListIncidentsToEvaluateAsync(1, c)).Count : 0)
                + (await s.Paging.ListEscalationsToStopAsync(1, c)).Count + (await s.Paging.ListDueStepsAsync(s.Now, 1, c)).Count,
            await s.Paging.AnyClaimableNotificationAsync(s.Now, c)), ct);
        var planned = plan == 0 ? 0 : await store.RecordAsync((s, c) => PlanAsync(s, policy, _traces, evaluate, c), ct);
        // A full batch may have left more to evaluate: the sweep that follows at once looks again.
        _evaluateOwed |= evaluate && planned >= Batch;
        work += planned;
        if (!claimable && planned == 0)
        {
            return work;
        }

        // Claim a round of due notifications, send them, and repeat: a claim lasts one round (the longest notifier timeout
        // plus a margin), so a page claimed by a node that then dies waits that long at most before another node sends it.
        var claimFor = policy.Config.Notifiers.Select(n => n.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max() + ClaimMargin;
        var claimant = Leadership?.NodeId ?? ProcessClaimant;
        var sent = 0;
        while (sent < Batch)
        {
            var claimed = await store.ClaimAsync((s, c) => s.Paging.ClaimDueNotificationsAsync(s.Now, s.Now + claimFor, claimant, Parallelism, c), ct);
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (n, c) => await DeliverAsync(policy, n, c));
            sent += claimed.Count;
            if (claimed.Count < Parallelism)
            {
                break;
            }
        }

        return work + sent;
    }

    /// <summary>How many times the outcome of a sent page is written before the conflict is given up on.</summary>
    private const int RecordTries = 5;

    /// <summary>Deliveries in flight at once, and so the size of one claim.</summary>
    private const int Parallelism = 16;

    /// <summary>How long a claim outlives the longest notifier timeout (recording the attempt, a slow store).</summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    /// <summary>Who holds a claim when no cluster node id is known (an engine built outside a server): this process on this host.</summary>
    private static readonly string ProcessClaimant = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// Re-checks every held escalation, a page at a time, when one of them may have been released (see the class notes):
    /// each page is read and decided outside the write lock, and only the escalations whose decision changed are evaluated
    /// again, and written, in a write transaction.
    /// </summary>
    private async Task<int> RecheckHeldAsync(IncidentPolicy policy, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var latched = _latches?.HoldsEnded.Take() ?? false;
        var holdEnded = latched || _firstHeldPassOwed || _nextHoldEnd <= now;
        if (!holdEnded && now - _heldCheckedAt < HeldRecheckInterval)
        {
            _heldRecheckOwed = true;
            return 0;
        }

        _heldCheckedAt = now;
        _heldRecheckOwed = false;
        _firstHeldPassOwed = false;
        _nextHoldEnd = null; // read again at the end of this turn
        var work = 0;
        for (var after = 0L; ;)
        {
            var (page, released) = await store.ReadAsync(async (s, c) =>
            {
                var page = await s.Paging.ListHeldAsync(after, Batch, c);
                var holds = await Holds.ReadAsync(s, policy, c);
                var released = new List<long>();
                foreach (var id in page)
                {
                    if (await DecideAsync(s, policy, holds, id, c) is { Decision: var decision } && (decision.Next is not null || decision.Replan))
                    {
                        released.Add(id);
                    }
                }

                return (page, released);
            }, ct);
            if (released.Count > 0)
            {
                work += await store.RecordAsync(async (s, c) =>
                {
                    var holds = await Holds.ReadAsync(s, policy, c);
                    var done = 0;
                    foreach (var id in released)
                    {
                        done += await EvaluateAsync(s, policy, holds, id, c);
                    }

                    return done;
                }, ct);
            }

            if (page.Count < Batch)
            {
                return work;
            }

            after = page[^1];
        }
    }

    /// <summary>The silences and maintenance windows active now, read once for all the escalations a transaction evaluates.</summary>
    private sealed record Holds(IReadOnlyList<Silence> Silences, IReadOnlyList<ActiveWindow> Windows)
    {
        public static async Task<Holds> ReadAsync(IStoreSession s, IncidentPolicy policy, CancellationToken ct) =>
            new(await s.Operations.ListSilencesAsync(s.Now, ct),
                MaintenanceWindows.Active(policy.Config.Maintenance, await s.Operations.ListWindowsAsync(s.Now, ct), s.Now));
    }

    private static async Task<int> PlanAsync(IStoreSession s, IncidentPolicy policy, IncidentTraces traces, bool evaluate, CancellationToken ct)
    {
        var work = 0;
        var toEvaluate = evaluate ? await s.Paging.ListIncidentsToEvaluateAsync(Batch, ct) : [];
        var holds = toEvaluate.Count == 0 ? null : await Holds.ReadAsync(s, policy, ct);
        foreach (var id in toEvaluate)
        {
            work += await EvaluateAsync(s, policy, holds!, id, ct);
        }

        foreach (var id in await s.Paging.ListEscalationsToStopAsync(Batch, ct))
        {
            work += await StopAsync(s, policy, id, ct);
        }

        var due = await s.Paging.ListDueStepsAsync(s.Now, Batch, ct);
        foreach (var step in due)
        {
            work += EscalationRules.IsSuperseded(step, due)
                ? await CancelStepAsync(s, step, "superseded by a later pass that is also due (Vigil was down)", ct)
                : await RunStepAsync(s, policy, traces, step, ct);
        }

        return work;
    }

    /// <summary>What <see cref="EscalationRules.Evaluate"/> decides for the incident now; null if it is gone.</summary>
    private static async Task<(Incident Incident, EscalationEvaluation Decision)?> DecideAsync(IStoreSession s, IncidentPolicy policy, Holds holds, long id, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(id, ct);
        if (incident is null)
        {
            return null;
        }

        var existing = await s.Paging.GetEscalationAsync(id, ct);
        var hold = policy.Level(incident.Severity).Page ? await HoldReasonAsync(s, policy, holds, incident, ct) : null;
        return (incident, EscalationRules.Evaluate(incident, existing, policy, hold, s.Now));
    }

    /// <summary>Starts, holds or skips the escalation of a triggered incident (<see cref="EscalationRules.Evaluate"/>).</summary>
    private static async Task<int> EvaluateAsync(IStoreSession s, IncidentPolicy policy, Holds holds, long id, CancellationToken ct)
    {
        if (await DecideAsync(s, policy, holds, id, ct) is not var (incident, decision))
        {
            return 0;
        }

        if (decision.Replan)
        {
            await s.Paging.DeleteStepsAsync(id, ct);
        }

        foreach (var notifierId in decision.TicketNotifiers)
        {
            await QueueAsync(s, incident, NotificationKind.Ticket, -1, 0, "notifier:" + notifierId, notifierId, null, ct);
        }

        if (decision.Next is null)
        {
            return 0;
        }

        if (decision.Steps.Count > 0)
        {
            await s.Paging.AddStepsAsync(id, decision.Steps, ct);
        }

        await SetAsync(s, incident, decision.Before, decision.Next, ct);
        return 1;
    }

    /// <summary>Reads what <see cref="EscalationRules.HoldReason"/> needs: firing signals, the dependency's open incident, silences and windows.</summary>
    private static async Task<string?> HoldReasonAsync(IStoreSession s, IncidentPolicy policy, Holds holds, Incident incident, CancellationToken ct)
    {
        var firing = (await s.Incidents.ListSignalsAsync(incident.Id, ct)).Where(x => x.Status == SignalStatus.Firing).ToList();
        // Inhibited only while the dependency's incident is still open: re-check it now.
        var deps = EscalationRules.InhibitingDependencies(firing, policy);
        var cause = deps.Count == 0 ? null : await s.Incidents.OldestOpenForServicesAsync(deps, ct);
        return EscalationRules.HoldReason(incident, firing, cause, firing.Count == 0 ? [] : holds.Silences, holds.Windows, s.Now);
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
            var sent = await s.Paging.ListNotificationsAsync(id, false, 10_000, ct);
            foreach (var n in EscalationRules.ResolveNotices(policy.Config, sent))
            {
                await QueueAsync(s, incident, NotificationKind.Resolve, 0, 0, n.Target, n.NotifierId, n.PersonId is null ? null : policy.Config.FindPerson(n.PersonId), ct);
            }

            await s.Paging.UpsertEscalationAsync(escalation with { ResolveSent = true, UpdatedAt = s.Now }, ct);
        }

        return 1;
    }

    /// <summary>A due step: page its targets (skipping people who are not available now) unless the incident was acknowledged meanwhile.</summary>
    private static async Task<int> RunStepAsync(IStoreSession s, IncidentPolicy policy, IncidentTraces traces, EscalationStepRecord step, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(step.IncidentId, ct);
        var escalation = await s.Paging.GetEscalationAsync(step.IncidentId, ct);
        var config = escalation?.PolicyId is { } pid ? policy.Config.FindEscalationPolicy(pid) : null;
        if (incident is not { Status: IncidentStatus.Triggered })
        {
            await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, EscalationStepState.Cancelled, ct);
            return 1;
        }

        if (config is null || step.Step >= config.Steps.Count)
        {
            return await CancelStepAsync(s, step, $"escalation policy {escalation?.PolicyId} no longer has this step (config changed)", ct);
        }

        using var span = traces.StartStep(step.IncidentId, step.Step, step.Repeat, config.Id);
        var paged = new List<string>();
        var skipped = new List<string>();
        var targets = config.Steps[step.Step].Notify;
        var overrides = targets.Any(t => t.Kind == NotifyTargetKind.Schedule) ? await s.Paging.ListOverridesAsync(s.Now, ct) : [];
        foreach (var target in targets)
        {
            foreach (var d in EscalationRules.Deliveries(policy.Config, target, incident, overrides, s.Now))
            {
                if (d.Note is not null)
                {
                    skipped.Add(d.Note);
                }
                else if (await QueueAsync(s, incident, NotificationKind.Trigger, step.Step, step.Repeat, d.Target, d.NotifierId!, d.Person, ct))
                {
                    paged.Add($"{d.Person?.Name ?? d.Target} via {d.NotifierId}");
                }
            }
        }

        await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, EscalationStepState.Done, ct);
        var text = string.Create(CultureInfo.InvariantCulture, $"Escalation step {step.Step + 1}{(step.Repeat > 0 ? $" (repeat {step.Repeat})" : "")} of {config.Id}: ")
            + (paged.Count == 0 ? "nobody to page" : "paging " + string.Join(", ", paged))
            + (skipped.Count == 0 ? "" : "; " + string.Join("; ", skipped));
        await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Page, Actor, text, "incident.page", step.DueAt, null, null, ct);
        return 1;
    }

    private static async Task<int> CancelStepAsync(IStoreSession s, EscalationStepRecord step, string why, CancellationToken ct)
    {
        await s.Paging.SetStepStateAsync(step.IncidentId, step.Step, step.Repeat, EscalationStepState.Cancelled, ct);
        if (await s.Incidents.GetAsync(step.IncidentId, ct) is { } incident)
        {
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Escalation, Actor,
                string.Create(CultureInfo.InvariantCulture, $"Escalation step {step.Step + 1} (repeat {step.Repeat}) skipped: {why}"), "incident.escalation", s.Now, null, null, ct);
        }

        return 1;
    }

    /// <summary>Adds a ledger row unless its key exists; returns whether it was new.</summary>
    private static async Task<bool> QueueAsync(IStoreSession s, Incident incident, NotificationKind kind, int step, int repeat, string target, string notifierId,
        PersonConfig? person, CancellationToken ct)
    {
        var key = EscalationRules.NotificationKey(incident, kind, step, repeat, target, notifierId, person?.Id);
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
        await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Escalation, Actor, text, "incident.escalation", s.Now,
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
                await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Notification, Actor, $"Page to {n.PersonId ?? n.Target} via {n.NotifierId} withdrawn: incident {incident.Status.ToName()}",
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
            // Links are minted per attempt: a retried page gets a fresh acknowledge link with a fresh expiry.
            var links = ackLinks is null ? null : await ackLinks.LinksAsync(config, incident, n.Kind, person?.Id, ct);
            var message = new NotificationMessage(n.Key, n.Kind, incident.Id, incident.Title, incident.Severity, incident.Service, incident.Status.ToName(), summary,
                config.Vigil.PublicUrl is { } url ? $"{url.TrimEnd('/')}/api/v1/incidents/{incident.Id}" : null, n.CreatedAt, n.Step, n.Repeat,
                person is null ? null : new NotificationRecipient(person.Id, person.Name, person.Email, person.Slack, person.Phone), config.Vigil.Name, links);
            // Activity.Current is the delivery span while the channel sends: a webhook request carries it as traceparent.
            using var span = _traces.StartDelivery(n.IncidentId, n.NotifierId, ChannelKind(notifier), attempt);
            result = await channel.SendAsync(notifier, message, ct);
            span?.SetStatus(result.Success ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error, result.Success ? null : result.Error);
        }

        var retry = notifier?.Retry;
        var giveUp = EscalationRules.GivesUp(result, retry, attempt);
        VigilMetrics.Notification(ChannelKind(notifier), result.Success ? "sent" : giveUp ? "failed" : "retried");
        var unit = NextJitter();
        // The page went out already (or failed): its outcome is a fact, recorded even when this node lost the leader lease meanwhile
        // (paused or slowed past its TTL while the channel sent). Refusing it would leave the page claimed but unrecorded, and the next
        // leader would send it a second time once the claim ran out. A conflict with another node's write is retried for the same reason.
        using var unfenced = WriteFence.Suppress();
        for (var tries = 1; ; tries++)
        {
            try
            {
                await store.RecordAsync(async (s, c) =>
                {
                    await s.Paging.AddAttemptAsync(new DeliveryAttempt(0, n.Id, attempt, s.Now, result.Success, result.HttpStatus, result.Reply,
                        (long)result.Latency.TotalMilliseconds, result.Error), c);
                    await s.Paging.UpdateNotificationAsync(EscalationRules.AfterAttempt(n, result, retry, unit, s.Now), c);
                    var who = n.PersonId ?? n.Target;
                    if (result.Success)
                    {
                        await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Notification, Actor,
                            $"{Kind(n.Kind)} {who} via {n.NotifierId} delivered (attempt {attempt}, {(long)result.Latency.TotalMilliseconds} ms{(result.Reply is null ? "" : ", " + result.Reply)})",
                            "notification.delivered", s.Now, null, null, c);
                    }
                    else if (giveUp)
                    {
                        await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Notification, Actor,
                            $"Gave up: {Kind(n.Kind).ToLowerInvariant()} {who} via {n.NotifierId} failed {attempt} time(s); last error: {result.Error}",
                            "notification.failed", s.Now, null, null, c);
                    }

                    return 0;
                }, CancellationToken.None);
                break;
            }
            catch (StoreConflictException) when (tries < RecordTries)
            {
                // Another writer won the race (the audit chain's head, most often): run it again at once.
            }
        }
    }

    /// <summary>A number in [0, 1) from the injected random source; deliveries run in parallel and <see cref="Random"/> instances are not thread-safe.</summary>
    private double NextJitter()
    {
        lock (_jitterLock)
        {
            return jitter.NextDouble();
        }
    }

    /// <summary>The channel label of notification metrics: the notifier's kind, never its id.</summary>
    internal static string ChannelKind(NotifierConfig? notifier) =>
        notifier is null ? "unknown"
        : notifier.Webhook is not null ? "webhook"
        : notifier.Slack is not null ? "slack"
        : notifier.Email is not null ? "email"
        : notifier.Command is not null ? "command"
        : Notifications.Channels.Http.HttpChannels.For(notifier)?.Kind ?? "unknown";

    private static string Kind(NotificationKind kind) => kind switch
    {
        NotificationKind.Trigger => "Page to",
        NotificationKind.Resolve => "Resolve notice to",
        _ => "Notice to",
    };
}
