using Vigil.Core.Health;

namespace Vigil.Core.Tests.Health;

public sealed class ComponentHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFailingComponent_LogsOnce_ThenAtMostEveryFiveMinutes_ThenItsRecovery()
    {
        var state = ComponentHealth.New("escalation");
        var logs = new List<(TimeSpan At, HealthLog Log)>();
        // A failure every second for twelve minutes: a disk-full sweep that retries at once.
        for (var s = 0; s < 12 * 60; s++)
        {
            (state, var log) = ComponentHealth.Record(state, "disk full", T0.AddSeconds(s));
            if (log != HealthLog.None)
            {
                logs.Add((TimeSpan.FromSeconds(s), log));
            }
        }

        Assert.Equal(
            [(TimeSpan.Zero, HealthLog.FirstFailure), (TimeSpan.FromMinutes(5), HealthLog.StillFailing), (TimeSpan.FromMinutes(10), HealthLog.StillFailing)],
            logs);
        Assert.Equal(720, state.ConsecutiveFailures);
        Assert.True(state.IsFailing(3));

        (state, var recovered) = ComponentHealth.Record(state, null, T0.AddMinutes(13));
        Assert.Equal(HealthLog.Recovered, recovered);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.False(state.IsFailing(1));
        Assert.Equal(T0.AddMinutes(13), state.LastSuccessAt);
        Assert.Equal("disk full", state.LastError);
    }

    [Fact]
    public void Successes_LogNothing_AndAFreshFailureAfterRecovery_LogsAgainAtOnce()
    {
        var state = ComponentHealth.New("intake");
        (state, var log) = ComponentHealth.Record(state, null, T0);
        Assert.Equal(HealthLog.None, log);
        (state, log) = ComponentHealth.Record(state, "boom", T0.AddSeconds(1));
        Assert.Equal(HealthLog.FirstFailure, log);
        (state, log) = ComponentHealth.Record(state, null, T0.AddSeconds(2));
        Assert.Equal(HealthLog.Recovered, log);
        (_, log) = ComponentHealth.Record(state, "boom", T0.AddSeconds(3));
        Assert.Equal(HealthLog.FirstFailure, log);
    }

    [Fact]
    public void IsFailing_CountsConsecutiveFailuresAgainstTheThreshold()
    {
        var state = ComponentHealth.New("checks.flush");
        for (var i = 0; i < 2; i++)
        {
            (state, _) = ComponentHealth.Record(state, "x", T0.AddSeconds(i));
        }

        Assert.False(state.IsFailing(3));
        (state, _) = ComponentHealth.Record(state, "x", T0.AddSeconds(3));
        Assert.True(state.IsFailing(3));
    }
}
