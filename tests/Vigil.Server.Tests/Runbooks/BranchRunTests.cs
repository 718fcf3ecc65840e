using Vigil.Core.Runbooks;
using Vigil.Server.Api;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>Branches run for real: bash steps in the test's temp folder, through the real API and event stream.</summary>
public sealed class BranchRunTests
{
    private const string Fence = "```";

    // The pod's state and logs come from files the test writes beside the runbook, standing in for kubectl.
    private const string Triage = $$"""
        ---
        id: pod-triage
        service: web
        ---
        # Pod triage

        ## Triage

        {{Fence}}bash {name=status}
        cat pod-status.txt
        {{Fence}}

        {{Fence}}bash {name=logs when="$STEP_OUTPUT =~ CrashLoopBackOff" on_fail="#diagnose-oom"}
        cat pod-logs.txt
        ! grep -q OOMKilled pod-logs.txt
        {{Fence}}

        {{Fence}}bash {name=done}
        echo triaged > triage-done.txt
        {{Fence}}

        ### Diagnose OOM

        {{Fence}}bash {name=raise-limits when="$STEP_OUTPUT =~ OOMKilled"}
        echo "limits raised" > limits-raised.txt
        {{Fence}}

        {{Fence}}bash {name=confirm-status when="$STEP_OUTPUT !~ Running" from=status}
        echo "status was not Running" > confirmed.txt
        {{Fence}}

        ### Rollback

        {{Fence}}bash
        echo rolled back > rolled-back.txt
        {{Fence}}
        """;

    [Fact]
    public async Task OomLikeOutput_TakesTheDiagnoseBranch_WithoutRollingBack()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["triage.md"] = Triage });
        await File.WriteAllTextAsync(h.File("pod-status.txt"), "NAME READY STATUS\nweb-0 0/1 CrashLoopBackOff\n");
        await File.WriteAllTextAsync(h.File("pod-logs.txt"), "starting\nKilled: OOMKilled (exit 137)\n");

        var run = await h.RunAsync(new { runbook = "pod-triage", procedure = "triage", yes = true });
        var events = await h.EventsAsync(run.Id);
        var ended = await h.GetAsync(run.Id);
        var log = await h.LogAsync(run.Id);

        Assert.True(ended.Status == RunStatus.Succeeded, log);
        Assert.Equal(
            [(false, 1, "status", StepStatus.Succeeded), (false, 2, "logs", StepStatus.Failed), (false, 1, "raise-limits", StepStatus.Succeeded), (false, 2, "confirm-status", StepStatus.Succeeded)],
            ended.Steps!.Select(s => (s.Rollback, s.Index, s.Name, s.Status)));
        Assert.True(File.Exists(h.File("limits-raised.txt")));
        Assert.True(File.Exists(h.File("confirmed.txt")));
        Assert.False(File.Exists(h.File("triage-done.txt")), "a branch does not return to the procedure it left");
        Assert.False(File.Exists(h.File("rolled-back.txt")), "a failure sent to a branch is handled, not rolled back");
        Assert.Contains("[vigil] on_fail: the failure goes to diagnose-oom; the run continues there instead of rolling back", log, StringComparison.Ordinal);
        Assert.Equal(["status", "logs", "raise-limits", "confirm-status"], events.Where(e => e.Type == RunEventType.StepEnd).Select(e => e.Name));
        var audit = await h.Server.CliAsync("audit", "tail", "-n", "50");
        Assert.Contains($"Run #{run.Id}: step 2 (logs) failed; on_fail continues with diagnose-oom", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanOutput_SkipsTheConditionalStep_AndTheRunGoesOn()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["triage.md"] = Triage });
        await File.WriteAllTextAsync(h.File("pod-status.txt"), "NAME READY STATUS\nweb-0 1/1 Running\n");
        await File.WriteAllTextAsync(h.File("pod-logs.txt"), "Killed: OOMKilled (exit 137)\n");

        var run = await h.RunAsync(new { runbook = "pod-triage", procedure = "triage", yes = true });
        var events = await h.EventsAsync(run.Id);
        var ended = await h.GetAsync(run.Id);
        var log = await h.LogAsync(run.Id);

        Assert.True(ended.Status == RunStatus.Succeeded, log);
        Assert.Equal([("status", StepStatus.Succeeded), ("logs", StepStatus.Skipped), ("done", StepStatus.Succeeded)], ended.Steps!.Select(s => (s.Name, s.Status)));
        Assert.True(File.Exists(h.File("triage-done.txt")));
        Assert.False(File.Exists(h.File("limits-raised.txt")));
        Assert.Equal("logs", Assert.Single(events, e => e.Type == RunEventType.StepEnd && e.StepStatus == StepStatus.Skipped).Name);
        Assert.Contains("── step 2 (logs): skipped", log, StringComparison.Ordinal);
        Assert.Contains("[vigil] skipped: when the previous step's output matches /CrashLoopBackOff/, and the previous step's output does not match /CrashLoopBackOff/", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureInsideTheBranch_RollsBackAndNamesTheBranchStep()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["triage.md"] = Triage.Replace("echo \"limits raised\" > limits-raised.txt", "exit 4", StringComparison.Ordinal) });
        await File.WriteAllTextAsync(h.File("pod-status.txt"), "web-0 0/1 CrashLoopBackOff\n");
        await File.WriteAllTextAsync(h.File("pod-logs.txt"), "OOMKilled\n");

        var run = await h.RunAsync(new { runbook = "pod-triage", procedure = "triage", yes = true });
        var ended = await h.EndAsync(run.Id);

        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal("step 1 of diagnose-oom (raise-limits) failed with exit code 4", ended.Error);
        Assert.Equal(RollbackOutcome.Succeeded, ended.Rollback);
        Assert.True(File.Exists(h.File("rolled-back.txt")));
    }
}
