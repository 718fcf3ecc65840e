using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Runbooks;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Runs <c>runbooks.schedules</c> at their cron times (non-interactively: ordinary steps run without
/// asking; <c>confirm=true</c> steps only when the schedule lists them), expires approval requests, and
/// turns each scheduled run's outcome into a signal: a failure fires <c>runbook-schedule/ID</c> (an
/// incident), the next success resolves it. Missed times while Vigil was down are not caught up.
/// </summary>
internal sealed partial class RunbookScheduler(RunbookRuntime runtime, ConfigState config, IncidentPolicies policies, IntakeQueue intake, TimeProvider time,
    HealthBoard health, ILogger<RunbookScheduler> logger) : SweepLoop(time, health)
{
    public override string HealthName => "runbook-scheduler";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _followUps = new(StringComparer.Ordinal);

    /// <summary>Completes when every started run has ended and its signal was submitted.</summary>
    internal Task FollowUpsAsync()
    {
        lock (_followUps)
        {
            return Task.WhenAll(_followUps.Values);
        }
    }

    protected override TimeSpan MaxSleep => TimeSpan.FromSeconds(30);

    protected override int FullBatch => int.MaxValue;

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var done = await runtime.ExpireApprovalsAsync(ct);
        var now = Time.GetUtcNow();
        var schedules = config.Current.Config.Runbooks.Schedules.Where(s => !s.Paused).ToList();
        var keys = schedules.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _next.Keys.Where(k => !keys.Contains(k)).ToList())
        {
            _next.Remove(stale);
        }

        foreach (var schedule in schedules)
        {
            var key = Key(schedule);
            if (!_next.TryGetValue(key, out var due))
            {
                if (Next(schedule, now) is { } first)
                {
                    _next[key] = first;
                }

                continue;
            }

            if (due > now)
            {
                continue;
            }

            if (Next(schedule, now) is { } following)
            {
                _next[key] = following;
            }
            else
            {
                _next.Remove(key);
            }

            await StartAsync(schedule, ct);
            done++;
        }

        return done;
    }

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        var next = _next.Values.Concat(runtime.NextApprovalExpiry() is { } e ? [e] : []).DefaultIfEmpty().Min();
        return Task.FromResult<DateTimeOffset?>(next == default ? null : next);
    }

    /// <summary>Starts one scheduled run now; a schedule that cannot start (missing runbook, bad parameters, a freeze) fires its signal.</summary>
    public async Task StartAsync(RunbookScheduleConfig schedule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var actor = "schedule:" + schedule.Id;
        lock (_followUps)
        {
            if (_followUps.TryGetValue(schedule.Id, out var previous) && !previous.IsCompleted)
            {
                // Two runs of one schedule at once would fight over the same resources; the next time comes soon enough.
                LogScheduleOverlap(logger, schedule.Id);
                return;
            }
        }

        var cfg = config.Current.Config;
        var catalog = runtime.Catalog();
        if (catalog.Find(schedule.Runbook) is not { } entry)
        {
            await SignalAsync(schedule, null, $"schedule {schedule.Id} names runbook {schedule.Runbook}, which is not in the catalog", ct);
            return;
        }

        var plan = RunbookPlanner.Plan(entry.Runbook, schedule.Procedure, schedule.Params, runtime.PlanOptions());
        var unconfirmed = plan.AllSteps.Where(s => s.Confirm && !StepConfirmations.IsPreConfirmed(schedule.Confirm, s)).ToList();
        var problem = !plan.IsRunnable
            ? string.Join("; ", plan.Problems.Select(p => p.Message))
            : unconfirmed.Count > 0
                ? $"steps {string.Join(", ", unconfirmed.Select(s => s.Name ?? s.Index.ToString(CultureInfo.InvariantCulture)))} are marked confirm=true; list them under the schedule's confirm: to run them unattended"
                : null;
        if (problem is not null)
        {
            await SignalAsync(schedule, entry.Service, $"schedule {schedule.Id} could not start {entry.Id}: {problem}", ct);
            return;
        }

        var request = new RunRequest(entry.Id, entry.Path, plan.Procedure!.Slug, entry.Service, cfg.Vigil.Environment, plan.Shown, actor, AutoConfirm: true,
            schedule.Confirm, StepByStep: false, FreezeOverride: null, IncidentId: null, DrillRto: null);
        var created = await runtime.CreateAsync(new RunStart(entry, plan, request, actor), ct);
        if (created.Value is not { } run)
        {
            await SignalAsync(schedule, entry.Service, $"schedule {schedule.Id} could not start {entry.Id}: {created.Refusal!.Message}", ct);
            return;
        }

        var followUp = Task.Run(async () =>
        {
            var ended = await runtime.WaitForEndAsync(run.Id, CancellationToken.None);
            if (ended is null || ended.Status == RunStatus.Interrupted)
            {
                return;
            }

            await SignalAsync(schedule, entry.Service, ended.Status == RunStatus.Succeeded
                ? null
                : $"scheduled run #{ended.Id} of {entry.Id} ({ended.Request.Procedure}) {RunNames.Of(ended.Status)}: {ended.Error}", CancellationToken.None);
        }, CancellationToken.None);
        lock (_followUps)
        {
            _followUps[schedule.Id] = followUp;
        }
    }

    /// <summary>Fires (problem given) or resolves (null) the schedule's signal.</summary>
    private async Task SignalAsync(RunbookScheduleConfig schedule, string? service, string? problem, CancellationToken ct)
    {
        var policy = policies.Current;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["schedule"] = schedule.Id, ["runbook"] = schedule.Runbook };
        var signal = new Signal(SignalSource.Runbook, "runbook-schedule/" + schedule.Id, problem is null ? SignalStatus.Resolved : SignalStatus.Firing,
            problem ?? $"schedule {schedule.Id} ran successfully", schedule.Severity ?? policy.Lowest.Id, policy.IsService(service) ? service : null, labels,
            Time.GetUtcNow(), Title: problem is null ? null : $"Scheduled runbook {schedule.Runbook} failed ({schedule.Id})");
        if (problem is not null)
        {
            LogScheduleFailed(logger, schedule.Id, problem);
        }

        await intake.SubmitAsync([IntakeCommand.Apply(signal, "schedule:" + schedule.Id)], ct);
    }

    private static string Key(RunbookScheduleConfig s) => $"{s.Id}\n{s.Cron}\n{s.Timezone}";

    private static DateTimeOffset? Next(RunbookScheduleConfig schedule, DateTimeOffset after) =>
        CronRules.TryParse(schedule.Cron, out var cron, out _) ? cron!.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(schedule.Timezone)) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runbook schedule {Schedule} is due but its previous run has not ended; skipped this time")]
    private static partial void LogScheduleOverlap(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runbook schedule {Schedule} failed: {Problem}")]
    private static partial void LogScheduleFailed(ILogger logger, string schedule, string problem);
}
