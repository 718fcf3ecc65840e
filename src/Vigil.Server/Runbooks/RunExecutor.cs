using Vigil.Core.Operations;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Config;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Executes a started run: walks its steps in order, refuses a mutating step a freeze covers, waits for
/// confirmations, runs each step (<see cref="StepRunner"/>), stops at the first failure, runs the rollback
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
        foreach (var step in plan.Steps)
        {
            if (ct.IsCancellationRequested)
            {
                stop = new RunStop(RunStopReason.Cancelled, step);
                break;
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
            if (result.Status != StepStatus.Succeeded)
            {
                stop = result.Status switch
                {
                    StepStatus.TimedOut => new RunStop(RunStopReason.StepTimedOut, step),
                    StepStatus.Cancelled => new RunStop(RunStopReason.Cancelled, step),
                    _ when result.GateError is { } gate => new RunStop(RunStopReason.GateFailed, step) { Detail = gate },
                    _ => new RunStop(RunStopReason.StepFailed, step, ExitCode: result.ExitCode),
                };
                break;
            }
        }

        RollbackOutcome? rollback = null;
        if (RunOutcomes.RollsBack(stop, executed, plan.Rollback.Count))
        {
            rollback = RollbackOutcome.Succeeded;
            foreach (var step in plan.Rollback)
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

    private async Task UpdateAsync(ActiveRun active, RunbookRun run, string actor, string action, string text)
    {
        await recorder.UpdateAsync(run, actor, action, text, null, CancellationToken.None);
        active.Run = run;
        active.Events.Publish(new RunEventView(RunEventType.Status, run.Status));
    }

    private async Task<IReadOnlyList<Freeze>> ActiveFreezesAsync() =>
        await store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), CancellationToken.None);
}
