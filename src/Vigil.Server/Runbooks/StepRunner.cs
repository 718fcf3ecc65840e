using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Runbooks;
using Vigil.Probes.Processes;
using Vigil.Server.Api;
using Vigil.Server.Config;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Runs one step of a run as a <c>bash -o pipefail -e</c> child process with its parameters in the
/// environment and its timeout, streams and captures its redacted output, and records the step.
/// </summary>
internal sealed class StepRunner(RunRecorder recorder, ConfigState config, TimeProvider time, GateRunner gates)
{
    private readonly ProcessRunner _processes = new(time);

    private RunbooksConfig Runbooks => config.Current.Config.Runbooks;

    /// <summary>Runs <paramref name="step"/> as the run's <paramref name="seq"/>th step and records how it ended.</summary>
    public async Task<StepResult> RunAsync(ActiveRun active, int seq, PlannedStep step, OutputRedactor redactor, CancellationToken ct)
    {
        var runbooks = Runbooks;
        var started = time.GetUtcNow();
        PublishStart(active, seq, step);
        var output = NewOutput(active, seq, redactor);
        var environment = new Dictionary<string, string>(active.Start.Plan.Environment, StringComparer.Ordinal)
        {
            ["VIGIL_RUN_ID"] = active.Run.Id.ToString(CultureInfo.InvariantCulture),
            ["VIGIL_RUNBOOK"] = active.Run.Request.RunbookId,
            ["VIGIL_PROCEDURE"] = active.Run.Request.Procedure,
            ["VIGIL_STEP"] = step.Index.ToString(CultureInfo.InvariantCulture),
        };

        if (StepShells.Of(step.Language) == StepShells.Pwsh && !Installed(StepShells.Pwsh))
        {
            var refused = $"{RunOutcomes.Numbered(step)} ({RunOutcomes.Describe(step)}) is a {step.Language} block, and PowerShell (pwsh) is not installed on the Vigil server's host "
                + "(no pwsh on its PATH), so nothing was run. Install PowerShell 7 there, or write the step as a bash or python block";
            var note = NewOutput(active, seq, redactor);
            note.Note("[vigil] refused: " + refused);
            var refusal = new StepResult(StepStatus.Refused, null, started, note.Complete(), 0, false) { Reason = refused };
            await RecordAsync(active, seq, step, refusal);
            return refusal;
        }

        var spec = new ProcessSpec("bash", Arguments(step), environment, Path.GetDirectoryName(active.Start.Entry.FullPath), step.Timeout)
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
        string? gateError = null;
        if (status == StepStatus.Succeeded && step.Gate is { } gate)
        {
            try
            {
                gateError = await gates.RunAsync(gate, runbooks.DefaultTimeout, output.Note, ct);
                status = gateError is null ? StepStatus.Succeeded : StepStatus.Failed;
            }
            catch (OperationCanceledException)
            {
                output.Note("[vigil] cancelled while the gate held the run");
                status = StepStatus.Cancelled;
            }
        }

        if (status is StepStatus.Failed or StepStatus.TimedOut && step.OnFail is { } target)
        {
            output.Note($"[vigil] on_fail: the failure goes to {target}; the run continues there instead of rolling back");
        }

        var stepResult = new StepResult(status, result.ExitCode, started, output.Complete(), output.TotalBytes, output.Truncated) { GateError = gateError };
        await RecordAsync(active, seq, step, stepResult);
        return stepResult;
    }

    /// <summary>
    /// The bash command line of a step. A bash step: stderr joins stdout so the log keeps their order, on the script's first
    /// line so bash's line numbers match the block (what bash writes before that, a syntax error, arrives on stderr and is
    /// added at the end). A python or pwsh step: bash only joins the streams and execs the interpreter, which gets the
    /// script as one argument ("$1"), never as shell text.
    /// </summary>
    private static IReadOnlyList<string> Arguments(PlannedStep step) => StepShells.Of(step.Language) switch
    {
        StepShells.Python => ["-c", "exec 2>&1; exec python3 -u -c \"$1\"", "vigil-step", step.Script],
        StepShells.Pwsh => ["-c", "exec 2>&1; exec pwsh -NoLogo -NoProfile -NonInteractive -Command \"$1\"", "vigil-step",
            "$ErrorActionPreference = 'Stop'; " + step.Script],
        _ => ["-o", "pipefail", "-e", "-c", "exec 2>&1; " + step.Script],
    };

    /// <summary>True when <paramref name="program"/> is an executable file in a folder of the server's PATH.</summary>
    private static bool Installed(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Records <paramref name="step"/> as refused (it never started), with why in its output; <paramref name="status"/> says how it counts.</summary>
    public async Task RefuseAsync(ActiveRun active, int seq, PlannedStep step, OutputRedactor redactor, string why, StepStatus status = StepStatus.Refused)
    {
        var at = time.GetUtcNow();
        PublishStart(active, seq, step);
        var refused = NewOutput(active, seq, redactor);
        refused.Note((status == StepStatus.Refused ? "[vigil] refused: " : "[vigil] not run: ") + why);
        await RecordAsync(active, seq, step, new StepResult(status, null, at, refused.Complete(), 0, false));
    }

    /// <summary>Records <paramref name="step"/> as skipped (its <c>when=</c> did not hold; nothing ran), with why in its output.</summary>
    public async Task SkipAsync(ActiveRun active, int seq, PlannedStep step, OutputRedactor redactor, string why)
    {
        var at = time.GetUtcNow();
        PublishStart(active, seq, step);
        var skipped = NewOutput(active, seq, redactor);
        skipped.Note("[vigil] skipped: " + why);
        await RecordAsync(active, seq, step, new StepResult(StepStatus.Skipped, null, at, skipped.Complete(), 0, false) { Reason = why });
    }

    private static void PublishStart(ActiveRun active, int seq, PlannedStep step) =>
        active.Events.Publish(new RunEventView(RunEventType.Step, Seq: seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, Script: step.Code, Mutating: step.Mutating,
            ExpectedOutput: step.Output.Count == 0 ? null : step.Output.Select(o => o.Text).ToList()) { Procedure = step.InBranch ? step.Procedure : null });

    private StepOutput NewOutput(ActiveRun active, int seq, OutputRedactor redactor)
    {
        var limit = Runbooks.OutputLimit;
        return new(redactor, limit, line => active.Events.Publish(new RunEventView(RunEventType.Output, Seq: seq, Line: line)),
            $"[output over {limit} bytes is not streamed; 'vigil runbook log {active.Run.Id}' keeps its end]");
    }

    /// <summary>The line added when a step exited leaving processes behind: the step is over at its exit, they are not part of it.</summary>
    private static string? LingeringNote(ProcessResult result)
    {
        var killed = $"{result.LingeringKilled} lingering {(result.LingeringKilled == 1 ? "process" : "processes")} killed";
        return result.OutputCutOff ? $"[vigil: output after the step's exit was cut off; {killed}]"
            : result.LingeringKilled > 0 ? $"[vigil: {killed} after the step's exit]"
            : null;
    }

    private async Task RecordAsync(ActiveRun active, int seq, PlannedStep step, StepResult result)
    {
        var ended = time.GetUtcNow();
        var record = new RunStep(active.Run.Id, seq, step.InRollback, step.Index, step.Name, result.Status, result.ExitCode, result.StartedAt, ended, result.Output,
            result.Bytes, result.Truncated);
        var duration = ended - result.StartedAt;
        var text = $"Run #{active.Run.Id}: {(step.InRollback ? "rollback " : "")}{RunOutcomes.Numbered(step)} ({RunOutcomes.Describe(step)}) {RunNames.Of(result.Status).Replace('_', ' ')}"
            + (result.GateError is { } gateError ? $": {gateError}" : result.Reason is { } reason ? $": {reason}" : result.ExitCode is { } code ? $", exit {code}" : "")
            + $", {duration.TotalSeconds:0.0} s";
        await recorder.AddStepAsync(active.Run, record, text);
        active.Events.Publish(new RunEventView(RunEventType.StepEnd, Seq: seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, StepStatus: result.Status,
            ExitCode: result.ExitCode, DurationSeconds: Math.Round(duration.TotalSeconds, 3), Message: result.Reason) { Procedure = step.InBranch ? step.Procedure : null });
    }
}
