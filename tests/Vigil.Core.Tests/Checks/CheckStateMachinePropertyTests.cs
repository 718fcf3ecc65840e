using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Checks;

/// <summary>Random result sequences (seeded, so a failure reproduces) against invariants of the state machine.</summary>
public sealed class CheckStateMachinePropertyTests
{
    private static readonly FailureReason[] FailReasons =
        [.. Enum.GetValues<FailureReason>().Where(r => r != FailureReason.None)];

    private static ProbeResult RandomResult(Random rng) => rng.Next(4) switch
    {
        0 => ProbeResult.Ok(TimeSpan.FromMilliseconds(rng.Next(500)), "ok"),
        1 => ProbeResult.Warning(FailReasons[rng.Next(FailReasons.Length)], TimeSpan.Zero, "warn"),
        2 => ProbeResult.Critical(FailReasons[rng.Next(FailReasons.Length)], TimeSpan.Zero, "crit"),
        _ => ProbeResult.Unknown(FailReasons[rng.Next(FailReasons.Length)], TimeSpan.Zero, "unknown"),
    };

    [Fact]
    public void Apply_RandomSequences_ChangesAreRealAndStatusFollowsLastChange()
    {
        var rng = new Random(20250602);
        var totalChanges = 0;
        for (var run = 0; run < 1000; run++)
        {
            var config = new CheckConfig
            {
                Id = "health",
                FailAfter = rng.Next(1, 5),
                PassAfter = rng.Next(1, 4),
                For = TimeSpan.FromSeconds(new[] { 0, 0, 30, 120 }[rng.Next(4)]),
            };
            var policy = new FlappingPolicy(rng.Next(2, 7), TimeSpan.FromMinutes(rng.Next(5, 60)));
            var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(rng.Next(100_000));
            var status = CheckStatus.Initial($"svc/check-{run}", now);
            StateChange? last = null;
            var length = rng.Next(1, 80);
            for (var step = 0; step < length; step++)
            {
                now = now.AddSeconds(rng.Next(1, 180));
                if (rng.Next(20) == 0)
                {
                    var before = status.State;
                    status = CheckStateMachine.SetPaused(status, !status.Paused, now);
                    Assert.Equal(before, status.State);
                    continue;
                }

                var previous = status;
                var result = RandomResult(rng);
                (status, var change) = CheckStateMachine.Apply(status, result, config, now, policy);
                var where = $"run {run} step {step}";

                Assert.Same(result, status.LastResult);
                if (change is null)
                {
                    Assert.True(previous.State == status.State, $"{where}: state moved from {previous.State} to {status.State} without a change");
                    continue;
                }

                totalChanges++;
                Assert.False(previous.Paused, $"{where}: a paused check produced a change");
                Assert.True(change.From != change.To, $"{where}: change from {change.From} to itself");
                Assert.Equal(previous.State, change.From);
                Assert.Equal(status.State, change.To);
                Assert.Equal(now, change.At);
                Assert.Equal(now, status.Since);
                Assert.Equal(change.Flapping, status.Flapping);
                Assert.Equal(change.To == HealthState.Ok, change.Reason == FailureReason.None);
                last = change;
            }

            Assert.Equal(last?.To ?? HealthState.Unknown, status.State);
        }

        // The generator must actually exercise changes, or the invariants above prove nothing.
        Assert.True(totalChanges > 5000, $"only {totalChanges} changes generated");
    }
}
