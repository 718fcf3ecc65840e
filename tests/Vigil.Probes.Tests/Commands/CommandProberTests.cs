using Vigil.Core.Checks;
using Vigil.Probes.Commands;
using Vigil.Probes.Tests.Support;
using Vigil.Tests.Processes;

namespace Vigil.Probes.Tests.Commands;

public sealed class CommandProberTests : IDisposable
{
    private readonly ProbeRunner _runner = Make.Runner();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Probe_ExitZero_IsOkWithLastLine()
    {
        var result = await _runner.ProbeAsync(Make.Shell("echo starting; echo all fine"));

        Assert.Equal(HealthState.Ok, result.State);
        // Only the program is named: the rest of the line may carry an expanded secret.
        Assert.Equal("command `echo …` exited 0: all fine", result.Message);
    }

    [Fact]
    public async Task Probe_BackgroundChildHoldingOutput_IsJudgedAtTheCommandsExit_AndTheChildIsKilled()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var check = Make.Shell($"setsid sleep 1000 & echo $! > {pidFile}; echo 42", timeout: TimeSpan.FromSeconds(60));
        check.WarnAbove = 85;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Ok, result.State); // 42 read from the command's own output, not a timeout
        var child = await strays.ReadPidAsync(pidFile);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the check's background child {child} outlived it");
    }

    [Theory]
    [InlineData(1, HealthState.Warning)]
    [InlineData(2, HealthState.Critical)]
    [InlineData(3, HealthState.Unknown)]
    [InlineData(127, HealthState.Unknown)]
    public async Task Probe_NonZeroExit_MapsLikeNagiosWithExecReason(int code, HealthState expected)
    {
        var result = await _runner.ProbeAsync(Make.Shell($"echo noise; echo first problem >&2; echo disk full >&2; exit {code}"));

        Assert.Equal(expected, result.State);
        Assert.Equal(FailureReason.Exec, result.Reason);
        Assert.EndsWith($"exited {code}: first problem / disk full", result.Message);
    }

    [Fact]
    public async Task Probe_NumberAboveCritical_IsCriticalThreshold()
    {
        var check = Make.Shell("echo 97");
        check.WarnAbove = 85;
        check.CriticalAbove = 95;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Threshold, result.Reason);
        Assert.Equal(97, result.Value);
        Assert.Equal("cmd = 97, above critical 95", result.Message);
    }

    [Fact]
    public async Task Probe_NumberWithUnitsAboveWarning_IsWarningThreshold()
    {
        var check = Make.Shell("echo 'disk / at 88%'");
        check.WarnAbove = 85;
        check.CriticalAbove = 95;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(88, result.Value);
    }

    [Fact]
    public async Task Probe_NumberWithinThresholds_IsOkWithValue()
    {
        var check = Make.Shell("printf '  42.5\\n'");
        check.CriticalBelow = 10;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Equal(42.5, result.Value);
    }

    [Fact]
    public async Task Probe_ThresholdsButNoNumber_IsUnknownExec()
    {
        var check = Make.Shell("echo not available");
        check.WarnAbove = 1;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Exec, result.Reason);
        Assert.Contains("printed no number (got \"not available\")", result.Message);
    }

    [Fact]
    public async Task Probe_Argv_PassesArgumentsWithoutShell()
    {
        var result = await _runner.ProbeAsync(Make.Argv("/bin/echo", "$HOME", "a b"));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.EndsWith("exited 0: $HOME a b", result.Message);
    }

    [Fact]
    public async Task Probe_EnvAndWorkingDir_AreApplied()
    {
        var result = await _runner.ProbeAsync(Make.Shell("echo \"$(pwd)|$VIGIL_TEST\"", workingDir: _temp.Path, env: new Dictionary<string, string> { ["VIGIL_TEST"] = "yes" }));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.EndsWith($"{_temp.Path}|yes", result.Message);
    }

    [Fact]
    public async Task Probe_ProgramNotFound_IsCriticalExec()
    {
        var result = await _runner.ProbeAsync(Make.Argv("vigil-no-such-program", "--version"));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Exec, result.Reason);
        Assert.Equal("command `vigil-no-such-program …` could not start: `vigil-no-such-program` was not found on PATH", result.Message);
    }

    [Fact]
    public async Task Probe_Timeout_KillsGrandchildBeforeItActs()
    {
        // The grandchild records its pid, then would write a marker after two seconds.
        var run = "sh -c 'echo $$ > grandchild.pid; sleep 2; touch marker' & wait";
        var result = await _runner.ProbeAsync(Make.Shell(run, timeout: TimeSpan.FromSeconds(1), workingDir: _temp.Path));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Contains("did not finish within 1s; its process tree was killed", result.Message);

        var pid = int.Parse(File.ReadAllText(_temp.File("grandchild.pid")).Trim());
        Assert.True(await Eventually.TrueAsync(() => ProcessGone(pid), TimeSpan.FromSeconds(5)), $"grandchild {pid} is still running");

        // A sentinel started now sleeps as long as the grandchild would have; once it has written,
        // the grandchild's marker would exist too had it survived.
        using var sentinel = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"sleep 2; touch '{_temp.File("sentinel")}'"]);
        await sentinel.WaitForExitAsync();
        Assert.True(File.Exists(_temp.File("sentinel")));
        Assert.False(File.Exists(_temp.File("marker")));
    }

    [Fact]
    public async Task Probe_OutputOverCap_KeepsTheTailForTheNumber()
    {
        using var runner = Make.Runner(options: new ProbeOptions { MaxCommandOutputBytes = 4096 });
        var check = Make.Shell("head -c 500000 /dev/zero | tr '\\0' x; echo; echo 7");
        check.WarnAbove = 5;

        var result = await runner.ProbeAsync(check);

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(7, result.Value);
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData(" -3.5e2 \n", -350)]
    [InlineData("load: 0.52 0.61 0.70", 0.70)]
    [InlineData("used 85%", 85)]
    public void TryLastNumber_Output_FindsLastNumber(string output, double expected)
    {
        Assert.True(CommandProber.TryLastNumber(output, out var value));
        Assert.Equal(expected, value, 6);
    }

    private static bool ProcessGone(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return true;
        }

        try
        {
            // A zombie (state Z) is dead; it only waits for its new parent to reap it.
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
