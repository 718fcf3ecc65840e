using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Processes;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests;

public sealed class ProbeRunnerTests
{
    [Fact]
    public async Task ProbeAsync_Heartbeat_IsUnknownBecauseItIsPushed()
    {
        using var runner = Make.Runner();
        var check = new CheckConfig { Id = "nightly", Heartbeat = new HeartbeatCheckConfig { Period = TimeSpan.FromHours(1) } };

        var result = await runner.ProbeAsync(check);

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Contains("is a heartbeat", result.Message);
        Assert.False(runner.CanProbe(CheckKind.Heartbeat));
    }

    [Fact]
    public async Task ProbeAsync_NoTypeSet_IsUnknownWithMessage()
    {
        using var runner = Make.Runner();

        var result = await runner.ProbeAsync(new CheckConfig { Id = "empty" });

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Contains("sets no check type", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ProberThrows_IsUnknownNotAnException()
    {
        var runner = new ProbeRunner([new ThrowingProber()], TimeProvider.System, new ProbeOptions());

        var result = await runner.ProbeAsync(Make.Tcp("127.0.0.1", 1));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal("the tcp prober failed unexpectedly on 127.0.0.1:1: InvalidOperationException: bug in prober", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_TimeoutOnFakeClock_IsCriticalTimeout()
    {
        var clock = new FakeTimeProvider();
        var prober = new HangingProber(honourCancellation: true);
        var runner = new ProbeRunner([prober], clock, new ProbeOptions());

        var probe = runner.ProbeAsync(Make.Tcp("db", 5432, timeout: TimeSpan.FromSeconds(5)));
        await prober.Started.Task;
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(probe.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await probe;

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Equal("no answer from db:5432 within 5s", result.Message);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Latency);
    }

    [Fact]
    public async Task ProbeAsync_ProberIgnoresCancellation_IsAbandonedAfterGrace()
    {
        var clock = new FakeTimeProvider();
        var prober = new HangingProber(honourCancellation: false);
        var runner = new ProbeRunner([prober], clock, new ProbeOptions { KillGrace = TimeSpan.FromSeconds(1) });

        var probe = runner.ProbeAsync(Make.Tcp("db", 5432, timeout: TimeSpan.FromSeconds(5)));
        await prober.Started.Task;
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(probe.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(4));
        var result = await probe;

        Assert.Equal(FailureReason.Timeout, result.Reason);
    }

    [Fact]
    public async Task ProbeAsync_CallerCancels_Throws()
    {
        var prober = new HangingProber(honourCancellation: true);
        var runner = new ProbeRunner([prober], TimeProvider.System, new ProbeOptions());
        using var cts = new CancellationTokenSource();

        var probe = runner.ProbeAsync(Make.Tcp("db", 5432), cts.Token);
        await prober.Started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe);
    }

    [Fact]
    public async Task ProbeAsync_CommandTimeoutThroughRunner_SaysProcessTreeKilled()
    {
        using var runner = Make.Runner();

        var result = await runner.ProbeAsync(Make.Shell("sleep 30", timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Equal("command `sleep …` did not finish within 200ms; its process tree was killed", result.Message);
    }

    [Fact]
    public void AddVigilProbes_Registers_RunnerForEveryProbedKind()
    {
        var services = new ServiceCollection();
        services.AddVigilProbes(o => o.MaxBodyBytes = 64 * 1024);
        using var provider = services.BuildServiceProvider();

        var runner = provider.GetRequiredService<ProbeRunner>();

        foreach (var kind in new[] { CheckKind.Http, CheckKind.Tcp, CheckKind.Tls, CheckKind.Dns, CheckKind.Command, CheckKind.Prometheus })
        {
            Assert.True(runner.CanProbe(kind), kind.ToString());
        }

        Assert.Equal(6, provider.GetServices<IProber>().Count());
        Assert.Same(provider.GetRequiredService<ProcessRunner>(), provider.GetRequiredService<ProcessRunner>());
        Assert.Equal(64 * 1024, provider.GetRequiredService<ProbeOptions>().MaxBodyBytes);
    }

    [Fact]
    public void AddVigilProbes_InvalidOptions_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentOutOfRangeException>(() => services.AddVigilProbes(o => o.MaxBodyBytes = 0));
    }

    private sealed class ThrowingProber : IProber
    {
        public CheckKind Kind => CheckKind.Tcp;

        public Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct) => throw new InvalidOperationException("bug in prober");
    }

    private sealed class HangingProber(bool honourCancellation) : IProber
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CheckKind Kind => CheckKind.Tcp;

        public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, honourCancellation ? ct : CancellationToken.None);
            return ProbeResult.Ok(TimeSpan.Zero);
        }
    }
}
