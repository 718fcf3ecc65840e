using System.Net;
using Vigil.Core.Runbooks;
using Vigil.Tests.Processes;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>
/// A step's descendants do not outlive it, however they detach (setsid, a double fork), and a step ends when
/// its own process exits, not when the last holder of its output lets go. Real bash steps in the run's
/// temporary folder; every child pid the scripts report is killed at the end of the test if still there.
/// </summary>
public sealed class RunbookContainmentTests
{
    [Fact]
    public async Task Timeout_KillsASetsidDescendant()
    {
        const string escape = """
            # Escape

            ```bash {timeout=2s}
            setsid sleep 1000 &
            echo $! > child.pid
            sleep 1000
            ```
            """;
        using var strays = new StrayProcesses();
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["escape.md"] = escape }, "  kill_grace: 1s");
        strays.Watch(h.File("child.pid"));
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "escape", yes = true })).Id);

        Assert.Equal(StepStatus.TimedOut, Assert.Single(run.Steps!).Status);
        var child = await strays.ReadPidAsync(h.File("child.pid"));
        Assert.True(await StrayProcesses.GoneAsync(child), $"the setsid child {child} outlived the step's timeout");
    }

    [Fact]
    public async Task Timeout_KillsADoubleForkedDaemon()
    {
        const string daemon = """
            # Daemon

            ```bash {timeout=2s}
            ( setsid bash -c 'echo $$ > daemon.pid; exec sleep 1000' & ) &
            sleep 1000
            ```
            """;
        using var strays = new StrayProcesses();
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["daemon.md"] = daemon }, "  kill_grace: 1s");
        strays.Watch(h.File("daemon.pid"));
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "daemon", yes = true })).Id);

        Assert.Equal(StepStatus.TimedOut, Assert.Single(run.Steps!).Status);
        var child = await strays.ReadPidAsync(h.File("daemon.pid"));
        Assert.True(await StrayProcesses.GoneAsync(child), $"the double-forked daemon {child} outlived the step's timeout");
    }

    [Fact]
    public async Task Cancel_KillsASetsidDescendant()
    {
        const string escape = """
            # Escape

            ```bash {timeout=10m}
            setsid bash -c 'sleep 1000' &
            echo $! > child.pid
            echo started
            sleep 1000
            ```
            """;
        using var strays = new StrayProcesses();
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["escape.md"] = escape }, "  kill_grace: 1s");
        strays.Watch(h.File("child.pid"));
        var run = await h.RunAsync(new { runbook = "escape", yes = true });
        await h.EventsAsync(run.Id, e => e.Type == Vigil.Server.Api.RunEventType.Output && e.Line == "started");
        var child = await strays.ReadPidAsync(h.File("child.pid"));

        var cancel = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/cancel");

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(StepStatus.Cancelled, Assert.Single((await h.GetAsync(run.Id)).Steps!).Status);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the setsid child {child} outlived the cancel");
    }

    [Fact]
    public async Task BackgroundChildHoldingOutput_StepSucceedsAtItsExit_WithAMarker_AndTheChildIsKilled()
    {
        // Were the end taken as stdout closing, this step would run into its timeout and be timed_out.
        const string lingering = """
            # Lingering

            ```bash {name=start timeout=60s}
            sleep 1000 &
            echo $! > child.pid
            echo "main done"
            exit 0
            ```

            ```bash {name=next}
            echo "next ran"
            ```
            """;
        using var strays = new StrayProcesses();
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["lingering.md"] = lingering }, "  kill_grace: 1s");
        strays.Watch(h.File("child.pid"));
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "lingering", yes = true })).Id);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(StepStatus.Succeeded, run.Steps![0].Status);
        Assert.Equal(0, run.Steps[0].ExitCode);
        var log = await h.LogAsync(run.Id);
        Assert.Contains("main done", log, StringComparison.Ordinal);
        Assert.Contains("[vigil: output after the step's exit was cut off; 1 lingering process killed]", log, StringComparison.Ordinal);
        Assert.Contains("next ran", log, StringComparison.Ordinal);
        var child = await strays.ReadPidAsync(h.File("child.pid"));
        Assert.True(await StrayProcesses.GoneAsync(child), $"the background child {child} outlived its step");
    }
}
