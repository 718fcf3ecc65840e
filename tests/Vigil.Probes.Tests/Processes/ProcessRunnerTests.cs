using Vigil.Probes.Processes;
using Vigil.Probes.Tests.Support;
using Vigil.Tests.Processes;

namespace Vigil.Probes.Tests.Processes;

public sealed class ProcessRunnerTests : IDisposable
{
    private readonly ProcessRunner _runner = new(TimeProvider.System);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_Exits_CapturesStdoutStderrAndCode()
    {
        var result = await _runner.RunAsync(ProcessSpec.Shell("echo out; echo err >&2; exit 4", null, null, TimeSpan.FromSeconds(10)));

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("out\n", result.Stdout.Text);
        Assert.Equal("err\n", result.Stderr.Text);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_StandardInput_IsWrittenThenClosed()
    {
        var spec = new ProcessSpec("cat", [], null, null, TimeSpan.FromSeconds(10)) { StandardInput = "hello\n" };

        var result = await _runner.RunAsync(spec);

        Assert.True(result.Succeeded);
        Assert.Equal("hello\n", result.Stdout.Text);
    }

    [Fact]
    public async Task RunAsync_NoInput_ReaderSeesEndOfFile()
    {
        var result = await _runner.RunAsync(new ProcessSpec("cat", [], null, null, TimeSpan.FromSeconds(10)));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_OutputOverCap_KeepsHeadAndTailWithMarker()
    {
        var spec = ProcessSpec.Shell("echo BEGIN; head -c 100000 /dev/zero | tr '\\0' x; echo; echo END", null, null, TimeSpan.FromSeconds(10)) with { MaxOutputBytes = 1024 };

        var result = await _runner.RunAsync(spec);

        Assert.True(result.Succeeded);
        Assert.True(result.Stdout.Truncated);
        Assert.Equal(6 + 100000 + 1 + 4, result.Stdout.TotalBytes);
        Assert.StartsWith("BEGIN\n", result.Stdout.Text);
        Assert.EndsWith("END\n", result.Stdout.Text);
        Assert.Contains($"[… {result.Stdout.TotalBytes - 1024} bytes omitted …]", result.Stdout.Text);
    }

    [Fact]
    public async Task RunAsync_HugeOutput_DoesNotBlockTheWriter()
    {
        var spec = ProcessSpec.Shell("head -c 20000000 /dev/zero", null, null, TimeSpan.FromSeconds(30)) with { MaxOutputBytes = 4096 };

        var result = await _runner.RunAsync(spec);

        Assert.True(result.Succeeded);
        Assert.Equal(20000000, result.Stdout.TotalBytes);
        Assert.True(result.Stdout.Text.Length < 5000);
    }

    [Fact]
    public async Task RunAsync_IgnoresSigterm_IsKilledAfterGrace()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("main.pid"));
        var spec = ProcessSpec.Shell($"trap '' TERM; echo $$ > {pidFile}; echo started; sleep 30", null, null, TimeSpan.FromSeconds(3)) with { KillGrace = TimeSpan.FromMilliseconds(200) };

        var result = await _runner.RunAsync(spec);

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.Equal("started\n", result.Stdout.Text);
        Assert.Equal(128 + 9, result.ExitCode); // SIGKILL: SIGTERM was ignored
        Assert.False(StrayProcesses.IsAlive(await strays.ReadPidAsync(pidFile)));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTheGroupAndSaysCancelled()
    {
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync(ProcessSpec.Shell("echo ready; sleep 30", null, _temp.Path, TimeSpan.FromMinutes(1)), cts.Token);
        await cts.CancelAsync();

        var result = await run;

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_BackgroundChildHoldsOutput_EndsAtTheMainExit_AndTheChildIsKilled()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var spec = ProcessSpec.Shell($"sleep 1000 & echo $! > {pidFile}; echo parent done", null, null, TimeSpan.FromSeconds(60)) with { KillGrace = TimeSpan.FromSeconds(1) };

        var result = await _runner.RunAsync(spec);

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Equal("parent done\n", result.Stdout.Text);
        Assert.True(result.OutputCutOff);
        Assert.Equal(1, result.LingeringKilled);
        var child = await strays.ReadPidAsync(pidFile);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the background child {child} outlived the run");
    }

    [Fact]
    public async Task RunAsync_LingeringChildOutput_AfterTheExit_IsCutOff()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var script = $"(echo $BASHPID > {pidFile}; trap 'echo on term; exit 0' TERM; while :; do echo child noise; sleep 0.05; done) & while [ ! -s {pidFile} ]; do sleep 0.01; done; echo main done";
        var spec = new ProcessSpec("bash", ["-c", script], null, null, TimeSpan.FromSeconds(60)) { KillGrace = TimeSpan.FromSeconds(5) };

        var result = await _runner.RunAsync(spec);

        Assert.True(result.Succeeded);
        Assert.True(result.OutputCutOff);
        Assert.Contains("main done\n", result.Stdout.Text);
        Assert.DoesNotContain("on term", result.Stdout.Text);
        Assert.True(await StrayProcesses.GoneAsync(await strays.ReadPidAsync(pidFile)));
    }

    [Fact]
    public async Task RunAsync_NothingLeftBehind_ReportsNoLingering()
    {
        var result = await _runner.RunAsync(ProcessSpec.Shell("sleep 0.1 & wait; echo done", null, null, TimeSpan.FromSeconds(60)));

        Assert.True(result.Succeeded);
        Assert.Equal("done\n", result.Stdout.Text);
        Assert.False(result.OutputCutOff);
        Assert.Equal(0, result.LingeringKilled);
    }

    [Theory]
    [InlineData("setsid sleep 1000 & echo $! > {0}; sleep 1000")]
    [InlineData("setsid bash -c 'echo $$ > {0}; exec sleep 1000' & sleep 1000")]
    [InlineData("( setsid bash -c 'echo $$ > {0}; exec sleep 1000' & ) & sleep 1000")]
    public async Task RunAsync_SetsidAndDoubleForkedDescendants_AreKilledAtTimeout(string script)
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var spec = ProcessSpec.Shell(string.Format(System.Globalization.CultureInfo.InvariantCulture, script, pidFile), null, null, TimeSpan.FromSeconds(2))
            with { KillGrace = TimeSpan.FromSeconds(1) };

        var result = await _runner.RunAsync(spec);

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        var child = await strays.ReadPidAsync(pidFile);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the escaped descendant {child} outlived the timeout");
    }

    [Fact]
    public async Task RunAsync_SetsidDescendant_IsKilledOnCancel()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync(ProcessSpec.Shell($"setsid sleep 1000 & echo $! > {pidFile}; sleep 1000", null, _temp.Path, TimeSpan.FromMinutes(10))
            with { KillGrace = TimeSpan.FromSeconds(1) }, cts.Token);
        var child = await strays.ReadPidAsync(pidFile);
        await cts.CancelAsync();

        var result = await run;

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.True(await StrayProcesses.GoneAsync(child), $"the setsid descendant {child} outlived the cancel");
    }

    [Fact]
    public async Task RunAsync_SetsidDaemonLeftBehind_IsKilledAfterTheExit()
    {
        using var strays = new StrayProcesses();
        var pidFile = strays.Watch(_temp.File("child.pid"));
        var script = $"( setsid bash -c 'echo $$ > {pidFile}; exec sleep 1000' </dev/null >/dev/null 2>&1 & ) ; while [ ! -s {pidFile} ]; do sleep 0.01; done";
        var spec = ProcessSpec.Shell(script, null, null, TimeSpan.FromSeconds(60)) with { KillGrace = TimeSpan.FromSeconds(1) };

        var result = await _runner.RunAsync(spec);

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.LingeringKilled);
        Assert.False(result.OutputCutOff);
        Assert.True(await StrayProcesses.GoneAsync(await strays.ReadPidAsync(pidFile)));
    }

    [Fact]
    public async Task RunAsync_MissingWorkingDirectory_FailsToStart()
    {
        var missing = _temp.File("nope");

        var result = await _runner.RunAsync(new ProcessSpec("true", [], null, missing, TimeSpan.FromSeconds(5)));

        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
        Assert.Equal($"working directory {missing} does not exist", result.Error);
    }

    [Fact]
    public async Task RunAsync_NotExecutable_FailsToStart()
    {
        var script = _temp.File("script.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho hi\n");

        var result = await _runner.RunAsync(new ProcessSpec(script, [], null, null, TimeSpan.FromSeconds(5)));

        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
        Assert.Contains("is not executable", result.Error);
    }

    [Fact]
    public async Task RunAsync_RelativeProgram_ResolvesAgainstWorkingDirectory()
    {
        var script = _temp.File("check.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho from script\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await _runner.RunAsync(new ProcessSpec("./check.sh", [], null, _temp.Path, TimeSpan.FromSeconds(5)));

        Assert.True(result.Succeeded);
        Assert.Equal("from script\n", result.Stdout.Text);
    }

    [Fact]
    public void UsesProcessGroups_OnThisMachine_IsTrue() => Assert.True(ProcessRunner.UsesProcessGroups);

    [Fact]
    public void Spec_IsImmutableCopyOfInputs()
    {
        var args = new List<string> { "a" };
        var env = new Dictionary<string, string> { ["K"] = "v" };
        var spec = new ProcessSpec("echo", args, env, null, TimeSpan.FromSeconds(1));
        args.Add("b");
        env["K"] = "changed";

        Assert.Equal(["a"], spec.Arguments);
        Assert.Equal("v", spec.Environment["K"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessSpec("echo", [], null, null, TimeSpan.Zero));
    }
}
