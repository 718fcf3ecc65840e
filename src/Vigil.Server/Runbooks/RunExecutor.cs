using Vigil.Core.Operations;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Config;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Executes a started run: walks its steps in order, skips a step whose <c>when=</c> does not hold, refuses a
/// mutating step a freeze covers, waits for confirmations, runs each step (<see cref="StepRunner"/>), follows a
/// failed step's <c>on_fail=</c> to its branch, stops at the first other failure, runs the rollbacks
/// when <see cref="RunOutcomes.RollsBack"/> says so, and returns the run as it ends
/// (<see cref="RunOutcomes.Decide"/>). Recording the end is the lifecycle's job (<see cref="RunbookRuntime"/>).
/// </summary>
internal sealed class RunExecutor(IVigilStore store, RunRecorder recorder, StepRunner steps, ConfigState config, TimeProvider time)
{
    /// <summary>Runs the steps of <paramref name="active"/>; returns the ended run (not yet recorded as ended) and who ended it.</summary>
    public async Task<(RunbookRun Ended, string Actor)> ExecuteAsync(ActiveRun active)
    {
        var ct = active.Cancel.Token;
        var plan = active.Start.Plan;
        var run = active.Run with { Status = RunStatus.Running, StartedAt = time.GetUtcNow() };
        await UpdateAsync(active, run, RunRecorder.System, "runbook.run.start", $"Run #{run.Id} of {run.Request.RunbookId} ({run.Request.Procedure}) started");

        var redactor = new OutputRedactor(plan.SecretValues, config.Current.Config.Runbooks.Redact);
        var seq = 0;
        var executed = 0;
        var autoConfirm = run.Request.AutoConfirm;
        RunStop? stop = null;

        // Branches: a failed step with on_fail continues with its target's steps (cycles are refused at plan time, so this ends).
        // The procedures entered, in order, decide which rollbacks run; outputs feed the when= of later steps.
        var entered = new List<(IReadOnlyList<PlannedStep> Steps, IReadOnlyList<PlannedStep> Rollback)> { (plan.Steps, plan.Rollback) };
        string? previousOutput = null;
        var outputByName = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = plan.Steps;
        for (var i = 0; i < current.Count; i++)
        {
            var step = current[i];
            if (ct.IsCancellationRequested)
            {
                stop = new RunStop(RunStopReason.Cancelled, step);
                break;
            }

            if (step.When is { } when)
            {
                var tested = when.From is null ? previousOutput : outputByName.GetValueOrDefault(when.From);
                var decision = StepConditions.Evaluate(when, tested);
                if (decision.Verdict == ConditionVerdict.Skip)
                {
                    await steps.SkipAsync(active, ++seq, step, redactor, $"{when.Describe()}, and {decision.Message}");
                    continue;
                }

                if (decision.Verdict == ConditionVerdict.Error)
                {
                    stop = new RunStop(RunStopReason.ConditionFailed, step) { Detail = decision.Message };
                    await steps.RefuseAsync(active, ++seq, step, redactor, RunOutcomes.Decide(stop, false, null, null).Error!, StepStatus.Failed);
                    break;
                }
            }

            if (step.Mutating && run.Request.FreezeOverride is null
                && RunFreezes.Refusing(await ActiveFreezesAsync(), step, run.Request) is { } freeze)
            {
                stop = new RunStop(RunStopReason.FrozenStepRefused, step, Freeze: freeze);
                await steps.RefuseAsync(active, ++seq, step, redactor, RunOutcomes.Decide(stop, false, null, null).Error!);
                break;
            }

            if (StepConfirmations.NeedsConfirmation(run.Request, step, autoConfirm))
            {
                var (answer, refusal) = await WaitForConfirmationAsync(active, step, ct);
                if (refusal is not null)
                {
                    stop = refusal;
                    break;
                }

                autoConfirm |= answer == ConfirmAnswer.All;
            }

            var result = await steps.RunAsync(active, ++seq, step, redactor, ct);
            executed++;
            previousOutput = result.Output;
            if (step.Name is { } name)
            {
                outputByName[name] = result.Output;
            }

            if (result.Status == StepStatus.Succeeded)
            {
                continue;
            }

            if (result.Status is StepStatus.Failed or StepStatus.TimedOut && step.OnFail is { } target && plan.FindBranch(target) is { } branch)
            {
                await UpdateAsync(active, active.Run, RunRecorder.System, "runbook.run.branch",
                    $"Run #{run.Id}: {RunOutcomes.Numbered(step)} ({RunOutcomes.Describe(step)}) {RunNames.Of(result.Status).Replace('_', ' ')}; on_fail continues with {branch.Slug}",
                    $"{RunOutcomes.Numbered(step)} {RunNames.Of(result.Status).Replace('_', ' ')}: branching to {branch.Slug} (on_fail)");
                entered.Add((branch.Steps, branch.Rollback));
                current = branch.Steps;
                i = -1;
                continue;
            }

            stop = result.Status switch
            {
                StepStatus.TimedOut => new RunStop(RunStopReason.StepTimedOut, step),
                StepStatus.Cancelled => new RunStop(RunStopReason.Cancelled, step),
                StepStatus.Refused => new RunStop(RunStopReason.InterpreterMissing, step) { Detail = result.Reason },
                _ when result.GateError is { } gate => new RunStop(RunStopReason.GateFailed, step) { Detail = gate },
                _ => new RunStop(RunStopReason.StepFailed, step, ExitCode: result.ExitCode),
            };
            break;
        }

        // The rollbacks of every procedure entered, the latest first: each undoes its own procedure's steps.
        var rollbackSteps = Enumerable.Reverse(entered).SelectMany(p => p.Rollback).ToList();
        RollbackOutcome? rollback = null;
        if (RunOutcomes.RollsBack(stop, executed, rollbackSteps.Count))
        {
            rollback = RollbackOutcome.Succeeded;
            foreach (var step in rollbackSteps)
            {
                // Rollback runs to its end even after a cancel: only the server stopping interrupts it.
                if ((await steps.RunAsync(active, ++seq, step, redactor, active.Stopping)).Status != StepStatus.Succeeded)
                {
                    rollback = RollbackOutcome.Failed;
                    break;
                }
            }
        }

        var ending = RunOutcomes.Decide(stop, active.Stopping.IsCancellationRequested, active.CancelledBy, active.CancelReason);
        return (active.Run with { Status = ending.Status, EndedAt = time.GetUtcNow(), Error = ending.Error, RollbackOutcome = rollback, WaitingStep = null },
            active.CancelledBy ?? RunRecorder.System);
    }

    /// <summary>Waits for an answer before <paramref name="step"/>: the answer, or what stops the run instead (no, no answer in time, a cancel).</summary>
    private async Task<(ConfirmAnswer Answer, RunStop? Stop)> WaitForConfirmationAsync(ActiveRun active, PlannedStep step, CancellationToken ct)
    {
        var timeout = config.Current.Config.Runbooks.ConfirmTimeout;
        var pending = new TaskCompletionSource<(ConfirmAnswer, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        active.Pending = pending;
        await UpdateAsync(active, active.Run with { Status = RunStatus.Waiting, WaitingStep = step.Index }, RunRecorder.System, "runbook.run.wait",
            $"Run #{active.Run.Id} waits for confirmation of step {step.Index} ({RunOutcomes.Describe(step)})");
        active.Events.Publish(new RunEventView(RunEventType.Confirm, RunStatus.Waiting, Index: step.Index, Name: step.Name, Script: step.Code, Mutating: step.Mutating,
            Message: step.Confirm ? "this step is marked confirm=true" : null));
        ConfirmAnswer answer;
        string by;
        try
        {
            (answer, by) = await pending.Task.WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException)
        {
            return (ConfirmAnswer.No, new RunStop(RunStopReason.ConfirmationTimedOut, step, ConfirmTimeout: timeout));
        }
        catch (OperationCanceledException)
        {
            return (ConfirmAnswer.No, new RunStop(RunStopReason.Cancelled, step));
        }
        finally
        {
            active.Pending = null;
        }

        if (answer == ConfirmAnswer.No)
        {
            return (answer, new RunStop(RunStopReason.ConfirmationDeclined, step, By: by));
        }

        await UpdateAsync(active, active.Run with { Status = RunStatus.Running, WaitingStep = null }, by, "runbook.run.resume",
            $"Step {step.Index} of run #{active.Run.Id} confirmed by {by}");
        return (answer, null);
    }

    private async Task UpdateAsync(ActiveRun active, RunbookRun run, string actor, string action, string text, string? message = null)
    {
        await recorder.UpdateAsync(run, actor, action, text, null, CancellationToken.None);
        active.Run = run;
        active.Events.Publish(new RunEventView(RunEventType.Status, run.Status, Message: message));
    }

    private async Task<IReadOnlyList<Freeze>> ActiveFreezesAsync() =>
        await store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), CancellationToken.None);
}
