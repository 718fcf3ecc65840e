using Vigil.Server.Checks;

namespace Vigil.Server.Tests.Checks;

public sealed class CheckSchedulerTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5_000, 0)]
    [InlineData(1, 10_000)]
    [InlineData(4_000, 10_000)]
    [InlineData(10_000, 10_000)]
    [InlineData(10_001, 20_000)]
    [InlineData(50_000_000, 50_000_000)]
    public void TimerDelay_SubMillisecondWaits_RoundUpToAWholeMillisecond(long ticks, long expected) =>
        Assert.Equal(TimeSpan.FromTicks(expected), CheckScheduler.TimerDelay(TimeSpan.FromTicks(ticks)));
}
