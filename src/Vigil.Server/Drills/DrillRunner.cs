using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.Results;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Checks;
using Vigil.Server.Runbooks;

namespace Vigil.Server.Drills;

/// <summary>
/// Runs fault-injection drills: opens an audited maintenance window on the drilled service (paging held), runs the
/// runbook's <c>inject</c> procedure, waits for Vigil's own checks to notice (critical, incident open), runs <c>recover</c>,
/// waits for the checks to be ok again, runs <c>verify</c>, looks for any page, closes the window and records the verdict
/// of <see cref="DrillJudge"/>. Every phase is a stored, audited change; a drill in flight when the server stops ends
/// <c>interrupted</c> (at the next start after a crash) and its window is cancelled.
/// </summary>
internal sealed partial class DrillRunner(IVigilStore store, RunbookRuntime runtime, TimeProvider time, ILogger<DrillRunner> logger, CheckRegistry? checks = null)
    : IHostedService
{
    /// <summary>Who opens, closes and records drills in the audit trail.</summary>
    public const string System = "system:drills";

    /// <summary>How often detection and recovery read the incidents and the checks engine's live state.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // How long, after recovery, the drill waits for the detected incident to auto-resolve before closing the window
    // (closing it while the incident is still open would page for a fault that is already gone).
    private static readonly TimeSpan ResolveGrace = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, Task> _active = new();
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.ReadAsync((s, c) => s.Drills.ListUnfinishedAsync(c), cancellationToken);
        foreach (var drill in unfinished)
        {
            await EndAsync(drill with { Status = DrillStatus.Interrupted, EndedAt = time.GetUtcNow(), Reason = "the server stopped while the drill was in flight" },
                cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_active.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Records the drill and starts it in the background; refused when one of the same service is in flight.</summary>
    public async Task<Outcome<DrillRecord>> StartAsync(DrillPlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // The one-drill-per-service check and the insert share a write transaction, so two requests cannot both start one.
        var (drill, running) = await store.WriteAsync<(DrillRecord?, DrillRecord?)>(async (s, c) =>
        {
            if ((await s.Drills.ListUnfinishedAsync(c)).FirstOrDefault(d => d.Service == plan.Service) is { } inFlight)
            {
                return (null, inFlight);
            }

            var d = await s.Drills.InsertAsync(new DrillRecord(0, plan.Entry.Id, plan.Service, DrillStatus.Running, plan.Actor, s.Now, null, null, null, null,
                plan.Rto, null, null, null, null, null, "starting"), c);
            await s.Audit.AppendAsync(new AuditDraft(plan.Actor, "drill.start", Target(d), null, null, JsonSerializer.Serialize(new
            {
                runbook = d.Runbook, service = d.Service, checks = plan.CheckKeys, rto_seconds = plan.Rto.TotalSeconds,
                detect_within_seconds = plan.DetectWithin.TotalSeconds, recover_within_seconds = plan.RecoverWithin.TotalSeconds,
            })), c);
            return (d, null);
        }, ct);
        if (running is not null)
        {
            return Refused.Conflict($"Drill #{running.Id} of service {plan.Service} is still running ({running.Reason}); one drill per service at a time.");
        }

        _active[drill!.Id] = Task.Run(() => RunAsync(drill, plan), CancellationToken.None);
        return drill;
    }

    private async Task RunAsync(DrillRecord drill, DrillPlan plan)
    {
        var ct = _stopping.Token;
        try
        {
            drill = await ExecuteAsync(drill, plan, ct);
            await EndAsync(drill, CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server stops: end it on the record now rather than at the next start, and stop holding paging.
            var latest = await LatestAsync(drill);
            await CloseWindowAsync(latest, CancellationToken.None);
            await EndAsync(latest with { Status = DrillStatus.Interrupted, EndedAt = time.GetUtcNow(), Reason = "the server stopped while the drill was in flight" },
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogDrillCrashed(logger, drill.Id, ex);
            var latest = await LatestAsync(drill);
            await CloseWindowAsync(latest, CancellationToken.None);
            await EndAsync(latest with { Status = DrillStatus.Failed, EndedAt = time.GetUtcNow(), Reason = "Vigil failed while running it: " + ex.Message },
                CancellationToken.None);
        }
        finally
        {
            _active.TryRemove(drill.Id, out _);
        }
    }

    private async Task<DrillRecord> ExecuteAsync(DrillRecord drill, DrillPlan plan, CancellationToken ct)
    {
        // 1. Hold paging for the service: an ad-hoc window like `vigil window create`, audited, cancelled at the end.
        var windowEnds = time.GetUtcNow() + plan.DetectWithin + plan.RecoverWithin + TimeSpan.FromMinutes(30);
        drill = await store.WriteAsync(async (s, c) =>
        {
            s.Raise(CommitTopics.PublicStatus);
            var w = await s.Operations.AddWindowAsync([plan.Service], s.Now, windowEnds,
                $"drill #{drill.Id} of runbook {plan.Entry.Id}: paging for {plan.Service} is held while the fault is injected", false, System, s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft(System, "window.create", "window/" + w.Id.ToString(CultureInfo.InvariantCulture), w.Reason, null,
                JsonSerializer.Serialize(new { services = w.Services, starts_at = w.StartsAt, ends_at = w.EndsAt, blocks_deploys = false, drill = drill.Id })), c);
            var d = drill with { WindowId = w.Id, Reason = "injecting the fault" };
            await s.Drills.UpdateAsync(d, c);
            return d;
        }, ct);

        // 2. Inject.
        string? failure = null;
        var (inject, injectError) = await RunProcedureAsync(plan.Inject, ct);
        drill = drill with { InjectRunId = inject?.Id };
        if (injectError is null)
        {
            drill = await PhaseAsync(drill with { InjectedAt = inject!.EndedAt }, "waiting for detection", ct);
        }
        else
        {
            failure = $"inject {injectError}";
        }

        // 3. Detect: an expected check's signal on an incident opened since the drill began.
        string? missed = null;
        if (drill.InjectedAt is { } injected)
        {
            var detected = await DetectAsync(drill, plan, injected + plan.DetectWithin, ct);
            drill = drill with { IncidentId = detected?.Incident.Id, DetectedAt = detected?.At };
            missed = detected is null ? Describe(plan) : null;
        }

        // 4. Recover (also after a failed injection or a missed detection: the fault may be in place) and wait for health.
        drill = await PhaseAsync(drill, "recovering", ct);
        var recoverStarted = time.GetUtcNow();
        var (recover, recoverError) = await RunProcedureAsync(plan.Recover, ct);
        drill = drill with { RecoverRunId = recover?.Id };
        failure ??= recoverError is null ? null : $"recover {recoverError}";
        if (recoverError is null && drill.InjectedAt is not null)
        {
            drill = await PhaseAsync(drill with { RecoveredAt = await RecoveredAsync(plan, recoverStarted, recoverStarted + plan.RecoverWithin, ct) }, "verifying", ct);
        }

        // 5. Verify.
        var verified = false;
        if (recoverError is null)
        {
            var (verify, verifyError) = await RunProcedureAsync(plan.Verify, ct);
            drill = drill with { VerifyRunId = verify?.Id };
            verified = verifyError is null;
            failure ??= verifyError is null ? null : $"verify {verifyError}";
        }

        // 6. Paging: before the window closes, so a held escalation is still held when looked at. The service's incidents
        // resolve first (when its checks are ok again): closing the window over an open one would page for a fault already gone.
        await WaitResolvedAsync(drill, time.GetUtcNow() + ResolveGrace, ct);

        var paged = await PagedAsync(drill, ct);
        await CloseWindowAsync(drill, ct);

        var verdict = DrillJudge.Decide(new DrillObservation(drill.StartedAt, drill.InjectedAt, drill.DetectedAt, drill.RecoveredAt, verified, paged, failure,
            plan.DetectWithin) { MissedBecause = missed }, plan.Rto);
        return drill with
        {
            Status = verdict.Result == DrillResult.Pass ? DrillStatus.Passed : DrillStatus.Failed,
            EndedAt = time.GetUtcNow(),
            Reason = verdict.Reason,
        };
    }

    /// <summary>Starts one procedure's run and waits for its end; the error says which run and why when it did not succeed.</summary>
    private async Task<(RunbookRun? Run, string? Error)> RunProcedureAsync(RunStart start, CancellationToken ct)
    {
        var created = await runtime.CreateAsync(start, ct);
        if (created.Refusal is { } refused)
        {
            return (null, $"was refused: {refused.Message}");
        }

        var ended = await runtime.WaitForEndAsync(created.Value!.Id, ct);
        return ended is { Status: RunStatus.Succeeded }
            ? (ended, null)
            : (ended, $"run #{created.Value.Id} {RunNames.Of(ended?.Status ?? RunStatus.Interrupted)}{(ended?.Error is { } e ? ": " + e : "")}");
    }

    /// <summary>The incident (and when it opened or reopened) that detected the fault, or null when none did by <paramref name="deadline"/>.</summary>
    private async Task<(Incident Incident, DateTimeOffset At)?> DetectAsync(DrillRecord drill, DrillPlan plan, DateTimeOffset deadline, CancellationToken ct)
    {
        while (true)
        {
            var found = await store.ReadAsync(async (s, c) =>
            {
                foreach (var (incident, at) in await DuringAsync(s, drill.StartedAt, plan.Service, c))
                {
                    var signals = await s.Incidents.ListSignalsAsync(incident.Id, c);
                    if (signals.Any(g => plan.CheckKeys.Contains(g.DedupKey, StringComparer.Ordinal)))
                    {
                        return ((Incident, DateTimeOffset)?)(incident, at);
                    }
                }

                return null;
            }, ct);
            if (found is not null || time.GetUtcNow() >= deadline)
            {
                return found;
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    /// <summary>
    /// Incidents opened since <paramref name="since"/>, and open ones reopened since then (a check that failed shortly before
    /// the drill reopens its resolved incident rather than opening a new one), each with when it (re)opened; oldest first.
    /// </summary>
    private static async Task<List<(Incident Incident, DateTimeOffset At)>> DuringAsync(IStoreSession s, DateTimeOffset since, string? service, CancellationToken ct)
    {
        var list = (await s.Incidents.ListAsync(new IncidentQuery(Service: service, Since: since), ct)).Select(i => (i, i.OpenedAt)).ToList();
        foreach (var open in await s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Service: service), ct))
        {
            if (open.OpenedAt < since && open.Reopened > 0
                && (await s.Incidents.ListTimelineAsync(open.Id, ct)).LastOrDefault(t => t.Kind == TimelineKinds.Reopened && t.At >= since) is { } reopened)
            {
                list.Add((open, reopened.At));
            }
        }

        return list.OrderBy(x => x.Item2).ToList();
    }

    /// <summary>The expected checks' live states, for a missed detection: <c>at the deadline: shop/health ok since 10:00:03 UTC</c>.</summary>
    private string Describe(DrillPlan plan)
    {
        var live = checks?.Snapshot().Where(s => plan.CheckKeys.Contains(s.Definition.Key, StringComparer.Ordinal))
            .Select(s => $"{s.Definition.Key} {ReasonNames.ToName(s.Status.State)}{(s.PausedBy is null ? "" : " (paused)")} since {s.Status.Since:HH:mm:ss} UTC")
            .ToList() ?? [];
        return "at the deadline: " + (live.Count == 0 ? "no live state of " + string.Join(", ", plan.CheckKeys) : string.Join(", ", live));
    }

    /// <summary>When every expected check was ok again (the latest of their ok-since times), or null when not by <paramref name="deadline"/>.</summary>
    private async Task<DateTimeOffset?> RecoveredAsync(DrillPlan plan, DateTimeOffset since, DateTimeOffset deadline, CancellationToken ct)
    {
        while (true)
        {
            var live = checks?.Snapshot().Where(s => plan.CheckKeys.Contains(s.Definition.Key, StringComparer.Ordinal)).ToList() ?? [];
            if (live.Count > 0 && live.All(s => s.Status.State == HealthState.Ok && s.PausedBy is null))
            {
                var at = live.Max(s => s.Status.Since);
                return at < since ? since : at;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    /// <summary>Waits (until <paramref name="deadline"/>) for the service's incidents opened during the drill to auto-resolve.</summary>
    private async Task WaitResolvedAsync(DrillRecord drill, DateTimeOffset deadline, CancellationToken ct)
    {
        while (time.GetUtcNow() < deadline)
        {
            var during = await store.ReadAsync((s, c) => DuringAsync(s, drill.StartedAt, drill.Service, c), ct);
            if (during.All(x => !x.Incident.IsOpen))
            {
                return;
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    /// <summary>Who was paged, or whose paging was not held, for incidents opened during the drill; null when nobody.</summary>
    private async Task<string?> PagedAsync(DrillRecord drill, CancellationToken ct) =>
        await store.ReadAsync(async (s, c) =>
        {
            var found = new List<string>();
            foreach (var (incident, _) in await DuringAsync(s, drill.StartedAt, null, c))
            {
                var pages = (await s.Paging.ListNotificationsAsync(incident.Id, false, 100, c)).Count(n => n.Kind == NotificationKind.Trigger);
                var escalation = await s.Paging.GetEscalationAsync(incident.Id, c);
                if (pages > 0)
                {
                    found.Add($"incident #{incident.Id} ({incident.Service ?? "no service"}) sent {pages} page(s)");
                }
                else if (escalation is { StartedAt: not null })
                {
                    // StartedAt is set only when an escalation runs unheld, and kept when it stops: one that resolved before
                    // its first page went out (the fault was short) still shows that nothing held it, so a longer fault pages.
                    found.Add(escalation.Status == EscalationStatus.Running
                        ? $"incident #{incident.Id} ({incident.Service ?? "no service"}) has a running escalation that no window holds"
                        : $"incident #{incident.Id} ({incident.Service ?? "no service"}) started an escalation that no window held (it resolved before the first page)");
                }
            }

            return found.Count == 0 ? null : string.Join(", ", found);
        }, ct);

    private async Task CloseWindowAsync(DrillRecord drill, CancellationToken ct)
    {
        if (drill.WindowId is not { } id)
        {
            return;
        }

        await store.WriteAsync(async (s, c) =>
        {
            if (await s.Operations.CancelWindowAsync(id, System, s.Now, c))
            {
                s.Raise(CommitTopics.Holds);
                s.Raise(CommitTopics.PublicStatus);
                await s.Audit.AppendAsync(new AuditDraft(System, "window.cancel", "window/" + id.ToString(CultureInfo.InvariantCulture),
                    $"drill #{drill.Id} ended", null, JsonSerializer.Serialize(new { services = new[] { drill.Service }, drill = drill.Id })), c);
            }
            else
            {
                await s.Audit.AppendAsync(new AuditDraft(System, "drill.window", Target(drill), $"window #{id} was already cancelled by someone else", null, null), c);
            }

            return 0;
        }, ct);
    }

    private Task<DrillRecord> PhaseAsync(DrillRecord drill, string phase, CancellationToken ct) =>
        store.WriteAsync(async (s, c) =>
        {
            var d = drill with { Reason = phase };
            await s.Drills.UpdateAsync(d, c);
            await s.Audit.AppendAsync(new AuditDraft(System, "drill.phase", Target(d), phase, null, Times(d)), c);
            return d;
        }, ct);

    /// <summary>
    /// The drill as last stored: ExecuteAsync writes each phase (window, runs, times) as it goes, so a drill
    /// ended by an exception keeps them, and its window is found and closed.
    /// </summary>
    private async Task<DrillRecord> LatestAsync(DrillRecord drill) =>
        await store.ReadAsync((s, c) => s.Drills.GetAsync(drill.Id, c), CancellationToken.None) ?? drill;

    private async Task EndAsync(DrillRecord drill, CancellationToken ct)
    {

        await store.WriteAsync(async (s, c) =>
        {
            await s.Drills.UpdateAsync(drill, c);
            await s.Audit.AppendAsync(new AuditDraft(System, "drill.end", Target(drill), drill.Reason, null, Times(drill)), c);
            if (drill.IncidentId is { } incident)
            {
                await s.Incidents.AddTimelineAsync(incident, s.Now, "drill", System,
                    $"Drill #{drill.Id} of {drill.Runbook} {(drill.Status == DrillStatus.Passed ? "PASS" : drill.Status == DrillStatus.Failed ? "FAIL" : "interrupted")}: {drill.Reason}", c);
            }

            return 0;
        }, ct);
    }

    private static string Target(DrillRecord drill) => "drill/" + drill.Id.ToString(CultureInfo.InvariantCulture);

    private static string Times(DrillRecord d) => JsonSerializer.Serialize(new
    {
        status = d.Status.ToString().ToLowerInvariant(), injected_at = d.InjectedAt, detected_at = d.DetectedAt, recovered_at = d.RecoveredAt, ended_at = d.EndedAt,
        incident = d.IncidentId, window = d.WindowId, inject_run = d.InjectRunId, recover_run = d.RecoverRunId, verify_run = d.VerifyRunId,
    });

    [LoggerMessage(Level = LogLevel.Error, Message = "Drill #{DrillId} failed inside Vigil")]
    private static partial void LogDrillCrashed(ILogger logger, long drillId, Exception ex);
}
