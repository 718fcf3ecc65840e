using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Probes.Processes;
using Vigil.Server.Api;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.Runbooks;

/// <summary>What starting a run needs besides the stored request: the plan (with secret values, never stored) and who asks.</summary>
internal sealed record RunStart(CatalogEntry Entry, RunbookPlan Plan, RunRequest Request, string Actor);

/// <summary>
/// Runs runbooks on this host: creates runs (refusing bad parameters and frozen mutations up front),
/// holds them for approval, executes their steps one by one as <c>bash -o pipefail -e</c> child
/// processes, asks for confirmations, rolls back on failure, and records every step, its redacted
/// output and every state change (audit, and the incident timeline when linked). Runs in flight when the
/// server stops — or found unfinished at start after a crash — end as <c>interrupted</c>.
/// </summary>
internal sealed partial class RunbookRuntime(IVigilStore store, ConfigState config, TimeProvider time, ILogger<RunbookRuntime> logger) : IHostedService
{
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();
    private readonly ProcessRunner _processes = new(time);
    private readonly CancellationTokenSource _stopping = new();

    // Status changes that people and timers race for (approve, cancel, expire, finish) happen one at a time.
    private readonly SemaphoreSlim _transitions = new(1, 1);

    private VigilConfig Config => config.Current.Config;

    private RunbookCatalog? _catalog;

    /// <summary>The catalog as on disk now (re-parsed only when a runbook file or the config changed).</summary>
    public RunbookCatalog Catalog() => _catalog = RunbookCatalog.Load(Config, Volatile.Read(ref _catalog));

    public RunbookPlanOptions PlanOptions() => RunbookPlanOptions.From(Config.Runbooks);

    /// <summary>The live event log of a run in flight, or null when it is not (or no longer) running here.</summary>
    public RunEventLog? Events(long runId) => _active.TryGetValue(runId, out var a) ? a.Events : null;

    /// <summary>Waits until a run ends and returns it as stored (at once for a run not in flight here).</summary>
    public async Task<RunbookRun?> WaitForEndAsync(long runId, CancellationToken ct)
    {
        if (_active.TryGetValue(runId, out var active))
        {
            await active.Done.WaitAsync(ct);
        }

        return await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(runId, c), ct);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), cancellationToken);
        foreach (var run in unfinished)
        {
            await FinishCoreAsync(run with { Status = RunStatus.Interrupted, EndedAt = time.GetUtcNow(), Error = "the server stopped while the run was in flight" },
                "system:runbooks", cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var runs = _active.Values.Where(a => a.Started).Select(a => a.Done).ToArray(); // a run pending approval has nothing to stop
        await Task.WhenAll(runs).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Records a new run and starts it, or holds it for approval. Returns the run, or a refusal (409) that
    /// says why it cannot start and how to proceed.
    /// </summary>
    public async Task<(RunbookRun? Run, string? Refusal)> CreateAsync(RunStart start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        var runbooks = Config.Runbooks;
        var needsApproval = runbooks.RequireApprovalIn.Contains(start.Request.Environment, StringComparer.Ordinal) && !start.Request.Trigger.StartsWith("schedule:", StringComparison.Ordinal);
        if (FrozenRefusal(await ActiveFreezesAsync(ct), start.Plan, start.Request) is { } frozen)
        {
            return (null, frozen);
        }

        var now = time.GetUtcNow();
        var run = await store.WriteAsync(async (s, c) =>
        {
            if (start.Request.IncidentId is { } incidentId && await s.Incidents.GetAsync(incidentId, c) is null)
            {
                throw new Refusal(StatusCodes.Status404NotFound, $"incident #{incidentId}");
            }

            var r = await s.Runbooks.InsertRunAsync(start.Request, needsApproval ? RunStatus.PendingApproval : RunStatus.Running, start.Actor, now,
                needsApproval ? now + runbooks.ApprovalTtl : null, c);
            var text = $"Run #{r.Id} of runbook {start.Request.RunbookId} ({start.Request.Procedure}) requested by {start.Actor}"
                + (needsApproval ? $"; it waits for approval by another person until {r.ApprovalExpiresAt:u}" : "");
            await RecordAsync(s, r, start.Actor, "runbook.run.create", text, start.Request.FreezeOverride, c);
            return r;
        }, ct);

        var active = new ActiveRun(run, start, _stopping.Token);
        _active[run.Id] = active;
        active.Events.Publish(new RunEventView("status", run.Status, Message: needsApproval
            ? $"run #{run.Id} waits for approval by a different person: vigil runbook approve {run.Id} (expires {run.ApprovalExpiresAt:u})"
            : null));
        if (!needsApproval)
        {
            active.TryLaunch(ExecuteAsync);
        }

        return (run, null);
    }

    /// <summary>Approves a run waiting for approval and starts it; refuses self-approval and expired requests.</summary>
    public Task<IResult> ApproveAsync(long id, string actor, string? reason, CancellationToken ct) => SerializedAsync(async () =>
    {
        var run = await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct);
        if (run is null)
        {
            return Problems.NotFound($"run #{id}");
        }

        if (run.Status != RunStatus.PendingApproval || !_active.TryGetValue(id, out var active))
        {
            return Problems.Conflict($"Run #{id} is {RunNames.Of(run.Status)}, not pending approval; nothing to approve.");
        }

        if (string.Equals(run.RequestedBy, actor, StringComparison.Ordinal))
        {
            return Problems.Conflict($"You ({actor}) requested run #{id}; a different person must approve it (vigil runbook approve {id} with their own token).");
        }

        if (run.ApprovalExpiresAt <= time.GetUtcNow())
        {
            await FinishCoreAsync(Expired(run), "system:runbooks", ct);
            return Problems.Conflict($"The approval request of run #{id} expired at {run.ApprovalExpiresAt:u}; start the run again.");
        }

        var approved = run with { Status = RunStatus.Running, ApprovedBy = actor };
        await store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.UpdateRunAsync(approved, c);
            await RecordAsync(s, approved, actor, "runbook.run.approve", $"Run #{id} approved by {actor} (requested by {run.RequestedBy})", reason, c);
            return 0;
        }, ct);
        active.Run = approved;
        active.Events.Publish(new RunEventView("status", RunStatus.Running, Message: $"approved by {actor}"));
        active.TryLaunch(ExecuteAsync);
        return (IResult)TypedResults.Ok(RunView.From(approved));
    });

    /// <summary>
    /// Cancels a run: a pending one ends at once; a running one has its current step's process tree stopped
    /// and ends. Answers once the run has ended, or with its current state if that takes longer than the kill
    /// grace (a rollback in progress is not interrupted).
    /// </summary>
    public async Task<IResult> CancelAsync(long id, string actor, string? reason, CancellationToken ct)
    {
        ActiveRun? stopping = null;
        var answer = await SerializedAsync(async () =>
        {
            var run = await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct);
            if (run is null)
            {
                return Problems.NotFound($"run #{id}");
            }

            if (run.IsFinished)
            {
                return Problems.Conflict($"Run #{id} already ended ({RunNames.Of(run.Status)}).");
            }

            if (_active.TryGetValue(id, out var active) && active.Started)
            {
                active.CancelledBy = actor;
                active.CancelReason = reason;
                await active.Cancel.CancelAsync();
                stopping = active;
                return null;
            }

            var cancelled = run with { Status = RunStatus.Cancelled, EndedAt = time.GetUtcNow(), Error = $"cancelled by {actor}" + (reason is null ? "" : ": " + reason) };
            await FinishCoreAsync(cancelled, actor, ct);
            return (IResult?)TypedResults.Ok(RunView.From(cancelled));
        });
        if (answer is not null)
        {
            return answer;
        }

        try
        {
            await stopping!.Done.WaitAsync(Config.Runbooks.KillGrace + TimeSpan.FromSeconds(5), time, ct);
        }
        catch (TimeoutException)
        {
            // Still stopping (or rolling back); the answer shows where it is.
        }

        var now = await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct);
        return TypedResults.Ok(RunView.From(now!));
    }

    /// <summary>
    /// Answers the confirmation a waiting run asks for. <paramref name="step"/>, when given, must be the step
    /// the run waits before, so an answer typed for one step never confirms another.
    /// </summary>
    public async Task<IResult> ConfirmAsync(long id, string actor, string answer, int? step, CancellationToken ct)
    {
        if (!_active.TryGetValue(id, out var active) || active.Run.Status != RunStatus.Waiting || active.Pending is not { } pending)
        {
            var run = await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct);
            return run is null ? Problems.NotFound($"run #{id}") : Problems.Conflict($"Run #{id} is {RunNames.Of(run.Status)}; it is not waiting for a confirmation.");
        }

        var waiting = active.Run.WaitingStep;
        if (step is not null && step != waiting)
        {
            return Problems.Conflict($"Run #{id} waits before step {waiting}, not step {step}; look at step {waiting} and answer again.");
        }

        await store.WriteAsync(async (s, c) =>
        {
            await s.Audit.AppendAsync(new AuditDraft(actor, "runbook.step.confirm", Target(id), null, null,
                JsonSerializer.Serialize(new { step = waiting, answer })), c);
            return 0;
        }, ct);
        pending.TrySetResult((answer, actor));
        return TypedResults.Ok(RunView.From(active.Run));
    }

    /// <summary>Marks pending approvals whose time ran out as expired; returns how many.</summary>
    public async Task<int> ExpireApprovalsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pending = await store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), ct);
        var expired = 0;
        foreach (var candidate in pending.Where(r => r.Status == RunStatus.PendingApproval && r.ApprovalExpiresAt <= now))
        {
            expired += await SerializedAsync(async () =>
            {
                // Approved or cancelled meanwhile? Then it is not ours to expire.
                var run = await store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(candidate.Id, c), ct);
                if (run?.Status != RunStatus.PendingApproval)
                {
                    return 0;
                }

                await FinishCoreAsync(Expired(run), "system:runbooks", ct);
                return 1;
            });
        }

        return expired;
    }

    /// <summary>The earliest approval expiry among waiting runs.</summary>
    public DateTimeOffset? NextApprovalExpiry() =>
        _active.Values.Where(a => a.Run.Status == RunStatus.PendingApproval).Min(a => a.Run.ApprovalExpiresAt);

    /// <summary>Whether a <c>confirm=true</c> step was approved in advance (by number, name or <c>all</c>).</summary>
    public static bool IsPreConfirmed(IReadOnlyList<string> confirmed, PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        ArgumentNullException.ThrowIfNull(step);
        return confirmed.Any(c => c == "all" || c == step.Index.ToString(CultureInfo.InvariantCulture) || (step.Name is not null && c == step.Name));
    }

    private RunbookRun Expired(RunbookRun run) =>
        run with { Status = RunStatus.Expired, EndedAt = time.GetUtcNow(), Error = $"nobody approved it before {run.ApprovalExpiresAt:u}" };

    private async Task<T> SerializedAsync<T>(Func<Task<T>> work)
    {
        await _transitions.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _transitions.Release();
        }
    }

    private async Task ExecuteAsync(ActiveRun active)
    {
        try
        {
            await ExecuteStepsAsync(active);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store failed under us: end the run on the record rather than leave it running forever.
            LogRunCrashed(logger, active.Run.Id, ex);
            await FinishAsync(active.Run with { Status = RunStatus.Failed, EndedAt = time.GetUtcNow(), Error = "Vigil failed while running it: " + ex.Message },
                "system:runbooks", CancellationToken.None);
        }
    }

    private async Task ExecuteStepsAsync(ActiveRun active)
    {
        var ct = active.Cancel.Token;
        var plan = active.Start.Plan;
        var run = active.Run with { Status = RunStatus.Running, StartedAt = time.GetUtcNow() };
        await UpdateAsync(active, run, "system:runbooks", "runbook.run.start", $"Run #{run.Id} of {run.Request.RunbookId} ({run.Request.Procedure}) started", null);

        var redactor = new OutputRedactor(plan.SecretValues, Config.Runbooks.Redact);
        var seq = 0;
        StepStatus? failure = null;
        string? error = null;
        var autoConfirm = run.Request.AutoConfirm;
        var executed = 0;
        foreach (var step in plan.Steps)
        {
            if (ct.IsCancellationRequested)
            {
                failure = StepStatus.Cancelled;
                break;
            }

            if (step.Mutating && run.Request.FreezeOverride is null && FrozenFor(await ActiveFreezesAsync(CancellationToken.None), run.Request.Service) is { } freeze)
            {
                error = $"step {step.Index} ({Describe(step)}) changes something and {FreezeText(freeze)}; nothing was run. An operator can run it with --override-freeze --reason R";
                var refused = NewOutput(active, ++seq, redactor);
                var at = time.GetUtcNow();
                active.Events.Publish(new RunEventView("step", Seq: seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, Script: step.Code, Mutating: step.Mutating));
                refused.Note("[vigil] refused: " + error);
                await RecordStepAsync(active, seq, step, new StepResult(StepStatus.Refused, null, at, refused.Complete(), 0, false));
                failure = StepStatus.Refused;
                break;
            }

            if (NeedsConfirmation(run.Request, step, autoConfirm))
            {
                var (answer, by) = await WaitForConfirmationAsync(active, step, ct);
                if (answer == "all")
                {
                    autoConfirm = true;
                }
                else if (answer != "yes")
                {
                    failure = StepStatus.Cancelled;
                    error = answer == "timeout"
                        ? $"nobody confirmed step {step.Index} within {Durations.Human(Config.Runbooks.ConfirmTimeout)}"
                        : answer == "cancel" ? null : $"step {step.Index} ({Describe(step)}) declined by {by}";
                    break;
                }
            }

            var result = await RunStepAsync(active, ++seq, step, redactor, ct);
            executed++;
            if (result.Status != StepStatus.Succeeded)
            {
                failure = result.Status;
                error = result.Status switch
                {
                    StepStatus.TimedOut => $"step {step.Index} ({Describe(step)}) ran past its {Durations.Human(step.Timeout)} timeout and was stopped",
                    StepStatus.Cancelled => null,
                    _ => $"step {step.Index} ({Describe(step)}) failed" + (result.ExitCode is { } code ? $" with exit code {code}" : ""),
                };
                break;
            }
        }

        // Rollback undoes what ran: not after a cancel, and not when nothing ran (a refusal before the first step).
        string? rollback = null;
        if (failure is not null and not StepStatus.Cancelled && executed > 0 && plan.Rollback.Count > 0)
        {
            rollback = "succeeded";
            foreach (var step in plan.Rollback)
            {
                var result = await RunStepAsync(active, ++seq, step, redactor, _stopping.Token);
                if (result.Status != StepStatus.Succeeded)
                {
                    rollback = "failed";
                    break;
                }
            }
        }

        var status = failure switch
        {
            null => RunStatus.Succeeded,
            StepStatus.Cancelled when _stopping.IsCancellationRequested && active.CancelledBy is null => RunStatus.Interrupted,
            StepStatus.Cancelled => RunStatus.Cancelled,
            _ => RunStatus.Failed,
        };
        if (status == RunStatus.Cancelled && error is null)
        {
            error = $"cancelled by {active.CancelledBy ?? "the requester"}" + (active.CancelReason is null ? "" : ": " + active.CancelReason);
        }
        else if (status == RunStatus.Interrupted)
        {
            error = "the server stopped while the run was in flight";
        }

        await FinishAsync(active.Run with { Status = status, EndedAt = time.GetUtcNow(), Error = error, RollbackOutcome = rollback, WaitingStep = null },
            active.CancelledBy ?? "system:runbooks", CancellationToken.None);
    }

    private static bool NeedsConfirmation(RunRequest request, PlannedStep step, bool autoConfirm)
    {
        if (request.StepByStep)
        {
            return true;
        }

        if (step.Confirm)
        {
            return !IsPreConfirmed(request.Confirmed, step);
        }

        return !autoConfirm;
    }

    private async Task<(string Answer, string By)> WaitForConfirmationAsync(ActiveRun active, PlannedStep step, CancellationToken ct)
    {
        var pending = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        active.Pending = pending;
        await UpdateAsync(active, active.Run with { Status = RunStatus.Waiting, WaitingStep = step.Index }, "system:runbooks", "runbook.run.wait",
            $"Run #{active.Run.Id} waits for confirmation of step {step.Index} ({Describe(step)})", null);
        active.Events.Publish(new RunEventView("confirm", RunStatus.Waiting, Index: step.Index, Name: step.Name, Script: step.Code, Mutating: step.Mutating,
            Message: step.Confirm ? "this step is marked confirm=true" : null));
        (string, string) answer;
        try
        {
            answer = await pending.Task.WaitAsync(Config.Runbooks.ConfirmTimeout, time, ct);
        }
        catch (TimeoutException)
        {
            answer = ("timeout", "system:runbooks");
        }
        catch (OperationCanceledException)
        {
            answer = ("cancel", active.CancelledBy ?? "system:runbooks");
        }

        active.Pending = null;
        if (answer.Item1 is "yes" or "all")
        {
            await UpdateAsync(active, active.Run with { Status = RunStatus.Running, WaitingStep = null }, answer.Item2, "runbook.run.resume",
                $"Step {step.Index} of run #{active.Run.Id} confirmed by {answer.Item2}", null);
        }

        return answer;
    }

    private sealed record StepResult(StepStatus Status, int? ExitCode, DateTimeOffset StartedAt, string Output, long Bytes, bool Truncated);

    private StepOutput NewOutput(ActiveRun active, int seq, OutputRedactor redactor) =>
        new(redactor, Config.Runbooks.OutputLimit, line => active.Events.Publish(new RunEventView("output", Seq: seq, Line: line)),
            $"[output over {Config.Runbooks.OutputLimit} bytes is not streamed; 'vigil runbook log {active.Run.Id}' keeps its end]");

    private async Task<StepResult> RunStepAsync(ActiveRun active, int seq, PlannedStep step, OutputRedactor redactor, CancellationToken ct)
    {
        var runbooks = Config.Runbooks;
        var started = time.GetUtcNow();
        active.Events.Publish(new RunEventView("step", Seq: seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, Script: step.Code, Mutating: step.Mutating));
        var output = NewOutput(active, seq, redactor);
        var environment = new Dictionary<string, string>(active.Start.Plan.Environment, StringComparer.Ordinal)
        {
            ["VIGIL_RUN_ID"] = active.Run.Id.ToString(CultureInfo.InvariantCulture),
            ["VIGIL_RUNBOOK"] = active.Run.Request.RunbookId,
            ["VIGIL_PROCEDURE"] = active.Run.Request.Procedure,
            ["VIGIL_STEP"] = step.Index.ToString(CultureInfo.InvariantCulture),
        };

        // stderr joins stdout so the log keeps their order; on the same line so bash's line numbers match the block.
        // What bash writes before that (a syntax error in the block) arrives on stderr and is added at the end.
        var spec = new ProcessSpec("bash", ["-o", "pipefail", "-e", "-c", "exec 2>&1; " + step.Script], environment,
            Path.GetDirectoryName(active.Start.Entry.FullPath), step.Timeout)
        {
            KillGrace = runbooks.KillGrace,
            MaxOutputBytes = 16 * 1024,
            OnStdout = output.Write,
        };
        var result = await _processes.RunAsync(spec, ct);
        if (result.Stderr.Text.Length > 0)
        {
            output.Note(result.Stderr.Text);
        }

        if (result.Outcome == ProcessOutcome.FailedToStart)
        {
            output.Note($"[vigil] the step did not start: {result.Error}");
        }
        else if (result.Outcome == ProcessOutcome.TimedOut)
        {
            output.Note($"[vigil] stopped after the {Durations.Human(step.Timeout)} timeout (SIGTERM, then SIGKILL to the step's processes after {Durations.Human(runbooks.KillGrace)})");
        }
        else if (LingeringNote(result) is { } lingering)
        {
            output.Note(lingering);
        }

        var status = result.Outcome switch
        {
            ProcessOutcome.Exited when result.ExitCode == 0 => StepStatus.Succeeded,
            ProcessOutcome.TimedOut => StepStatus.TimedOut,
            ProcessOutcome.Cancelled => StepStatus.Cancelled,
            _ => StepStatus.Failed,
        };
        var stepResult = new StepResult(status, result.ExitCode, started, output.Complete(), output.TotalBytes, output.Truncated);
        await RecordStepAsync(active, seq, step, stepResult);
        return stepResult;
    }

    /// <summary>The line added when a step exited leaving processes behind: the step is over at its exit, they are not part of it.</summary>
    private static string? LingeringNote(ProcessResult result)
    {
        var killed = $"{result.LingeringKilled} lingering {(result.LingeringKilled == 1 ? "process" : "processes")} killed";
        return result.OutputCutOff ? $"[vigil: output after the step's exit was cut off; {killed}]"
            : result.LingeringKilled > 0 ? $"[vigil: {killed} after the step's exit]"
            : null;
    }

    private async Task RecordStepAsync(ActiveRun active, int seq, PlannedStep step, StepResult result)
    {
        var ended = time.GetUtcNow();
        var record = new RunStep(active.Run.Id, seq, step.InRollback, step.Index, step.Name, result.Status, result.ExitCode, result.StartedAt, ended, result.Output,
            result.Bytes, result.Truncated);
        var duration = ended - result.StartedAt;
        var text = $"Run #{active.Run.Id}: {(step.InRollback ? "rollback " : "")}step {step.Index} ({Describe(step)}) {RunNames.Of(result.Status).Replace('_', ' ')}"
            + (result.ExitCode is { } code ? $", exit {code}" : "") + $", {duration.TotalSeconds:0.0} s";
        await store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.AddStepAsync(record, c);
            await RecordAsync(s, active.Run, "system:runbooks", "runbook.step", text, null, c);
            return 0;
        }, CancellationToken.None);
        active.Events.Publish(new RunEventView("step_end", Seq: seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, StepStatus: result.Status,
            ExitCode: result.ExitCode, DurationSeconds: Math.Round(duration.TotalSeconds, 3)));
    }

    private async Task UpdateAsync(ActiveRun active, RunbookRun run, string actor, string action, string text, string? reason)
    {
        await store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.UpdateRunAsync(run, c);
            await RecordAsync(s, run, actor, action, text, reason, c);
            return 0;
        }, CancellationToken.None);
        active.Run = run;
        active.Events.Publish(new RunEventView("status", run.Status));
    }

    private Task FinishAsync(RunbookRun run, string actor, CancellationToken ct) =>
        SerializedAsync(async () =>
        {
            await FinishCoreAsync(run, actor, ct);
            return 0;
        });

    /// <summary>Records the end of a run; the caller holds the transition lock (or runs alone, at start).</summary>
    private async Task FinishCoreAsync(RunbookRun run, string actor, CancellationToken ct)
    {
        var text = $"Run #{run.Id} of {run.Request.RunbookId} ({run.Request.Procedure}) {RunNames.Of(run.Status)}"
            + (run.Error is null ? "" : ": " + run.Error)
            + (run.RollbackOutcome is null ? "" : $"; rollback {run.RollbackOutcome}")
            + (run.DrillPassed is { } pass ? $"; drill {(pass ? "PASS" : "FAIL")} ({run.Duration?.TotalSeconds:0.0} s against an RTO of {run.Request.DrillRto?.TotalSeconds:0} s)" : "");
        await store.WriteAsync(async (s, c) =>
        {
            await s.Runbooks.UpdateRunAsync(run, c);
            await RecordAsync(s, run, actor, "runbook.run.end", text, null, c);
            return 0;
        }, ct);
        if (_active.TryRemove(run.Id, out var active))
        {
            active.Run = run;
            active.Events.Publish(new RunEventView("end", run.Status, Message: text));
            active.MarkDone();
        }

        if (run.Status is RunStatus.Failed or RunStatus.Interrupted)
        {
            LogRunEnded(logger, run.Id, run.Request.RunbookId, RunNames.Of(run.Status), run.Error);
        }
    }

    /// <summary>An audit entry for the run, and an incident timeline entry when the run is linked to one.</summary>
    private static async Task RecordAsync(IStoreSession s, RunbookRun run, string actor, string action, string text, string? reason, CancellationToken ct)
    {
        await s.Audit.AppendAsync(new AuditDraft(actor, action, Target(run.Id), reason ?? text, null,
            JsonSerializer.Serialize(new { status = RunNames.Of(run.Status), runbook = run.Request.RunbookId, procedure = run.Request.Procedure, text })), ct);
        if (run.Request.IncidentId is { } incident)
        {
            await s.Incidents.AddTimelineAsync(incident, s.Now, "runbook", actor, text, ct);
        }
    }

    private async Task<IReadOnlyList<Core.Operations.Freeze>> ActiveFreezesAsync(CancellationToken ct) =>
        await store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), ct);

    /// <summary>Why a run with mutating steps cannot start under the current freezes, or null.</summary>
    public static string? FrozenRefusal(IReadOnlyList<Core.Operations.Freeze> freezes, RunbookPlan plan, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var mutating = plan.Steps.Where(s => s.Mutating).ToList();
        if (request.FreezeOverride is not null || mutating.Count == 0 || FrozenFor(freezes, request.Service) is not { } freeze)
        {
            return null;
        }

        return $"{FreezeText(freeze)}, and steps {string.Join(", ", mutating.Select(s => s.Index))} of {request.Procedure} change something. "
            + "Wait for 'vigil unfreeze', or have an operator run it with --override-freeze --reason R (recorded in the audit trail).";
    }

    public static Core.Operations.Freeze? FrozenFor(IReadOnlyList<Core.Operations.Freeze> freezes, string? service) =>
        freezes.FirstOrDefault(f => f.IsActive && (f.Service is null || f.Service == service));

    private static string FreezeText(Core.Operations.Freeze f) =>
        $"{(f.Service is null ? "everything is frozen" : $"service {f.Service} is frozen")} (freeze #{f.Id} by {f.CreatedBy}: {f.Reason})";

    private static string Describe(PlannedStep step) => step.Name ?? $"line {step.Line}";

    private static string Target(long runId) => "runbook-run/" + runId.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Runbook run #{RunId} failed inside Vigil")]
    private static partial void LogRunCrashed(ILogger logger, long runId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runbook run #{RunId} of {Runbook} ended {Status}: {Error}")]
    private static partial void LogRunEnded(ILogger logger, long runId, string runbook, string status, string? error);

    /// <summary>A run this server holds in memory: its plan (with secret values), live events and controls.</summary>
    private sealed class ActiveRun(RunbookRun run, RunStart start, CancellationToken stopping)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RunbookRun Run { get; set; } = run;

        public RunStart Start { get; } = start;

        public RunEventLog Events { get; } = new();

        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        public TaskCompletionSource<(string Answer, string By)>? Pending { get; set; }

        public string? CancelledBy { get; set; }

        public string? CancelReason { get; set; }

        private int _launched;

        public bool Started => Volatile.Read(ref _launched) == 1;

        public Task Done => _done.Task;

        /// <summary>Starts executing the run, once; later calls do nothing.</summary>
        public void TryLaunch(Func<ActiveRun, Task> execute)
        {
            if (Interlocked.Exchange(ref _launched, 1) == 1)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await execute(this);
                }
                finally
                {
                    MarkDone();
                }
            });
        }

        public void MarkDone() => _done.TrySetResult();
    }
}
