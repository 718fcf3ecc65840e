using System.Diagnostics;
using Vigil.Probes.Processes;
using Vigil.Probes.Tests.Support;
using Vigil.Tests.Processes;

namespace Vigil.Probes.Tests.Processes;

/// <summary>How a run's members are found, with real processes: by tag, and by parent links remembered before they break.</summary>
public sealed class ProcessContainmentTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Members_AChildThatClearedItsEnvironmentAndDetached_IsRememberedAfterItsParentExits()
    {
        using var strays = new StrayProcesses();
        var containment = new ProcessContainment();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var psi = new ProcessStartInfo("bash", ["-c", $"env -i setsid sleep 1000 & echo $! > {pidFile}; read line"]) { RedirectStandardInput = true };
        psi.Environment[ProcessContainment.TagVariable] = containment.Tag;
        using var main = Process.Start(psi)!;
        containment.Attach(main.Id);
        var child = await strays.ReadPidAsync(pidFile);
        Assert.True(await Eventually.TrueAsync(() => SessionOf(child) == child, TimeSpan.FromSeconds(30)), "setsid did not run");

        // Found through its parent while the parent lives: no tag (env -i), another session.
        Assert.Contains(containment.Members(includeMain: false), p => p.Pid == child);
        main.StandardInput.Close();
        await main.WaitForExitAsync();

        // Now an orphan of init with nothing linking it to the run, but remembered.
        Assert.Contains(containment.Members(includeMain: false), p => p.Pid == child);
        var stopped = await containment.StopAsync(TimeSpan.FromSeconds(1), TimeProvider.System, includeMain: false, signalMainGroup: static () => false);

        Assert.Equal(1, stopped);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the detached child {child} is still running");
    }

    [Fact]
    public async Task Members_FindsTaggedProcessesOnly_NotUnrelatedOnes()
    {
        using var strays = new StrayProcesses();
        var containment = new ProcessContainment();
        var mine = strays.Watch(_temp.File("mine.pid"));
        var other = strays.Watch(_temp.File("other.pid"));
        var tagged = new ProcessStartInfo("bash", ["-c", $"( setsid sleep 1000 & echo $! > {mine} ) ; read line"]) { RedirectStandardInput = true };
        tagged.Environment[ProcessContainment.TagVariable] = containment.Tag;
        var unrelated = new ProcessStartInfo("bash", ["-c", $"setsid sleep 1000 & echo $! > {other}; read line"]) { RedirectStandardInput = true };
        unrelated.Environment[ProcessContainment.TagVariable] = new ProcessContainment().Tag;
        using var main = Process.Start(tagged)!;
        using var bystander = Process.Start(unrelated)!;
        containment.Attach(main.Id);
        try
        {
            var mineChild = await strays.ReadPidAsync(mine);
            var otherChild = await strays.ReadPidAsync(other);

            var members = containment.Members(includeMain: true).Select(p => p.Pid).ToList();

            Assert.Contains(main.Id, members);
            Assert.Contains(mineChild, members);
            Assert.DoesNotContain(otherChild, members);
            Assert.DoesNotContain(bystander.Id, members);
            Assert.DoesNotContain(Environment.ProcessId, members);
        }
        finally
        {
            main.StandardInput.Close();
            bystander.StandardInput.Close();
        }
    }

    private static int? SessionOf(int pid) => ProcTable.Read(pid)?.SessionId;
}
