using Microsoft.Extensions.Time.Testing;
using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Lifecycle;

public sealed class ClockSleepTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5_000, 0)]
    [InlineData(1, 10_000)]
    [InlineData(4_000, 10_000)]
    [InlineData(10_000, 10_000)]
    [InlineData(10_001, 20_000)]
    [InlineData(50_000_000, 50_000_000)]
    public void TimerDelay_SubMillisecondWaits_RoundUpToAWholeMillisecond(long ticks, long expected) =>
        Assert.Equal(TimeSpan.FromTicks(expected), ClockSleep.TimerDelay(TimeSpan.FromTicks(ticks)));

    [Fact]
    public async Task Until_CompletesWhenTheClockReachesTheTime_NotBefore()
    {
        var time = new FakeTimeProvider(Start);
        var sleep = time.UntilAsync(Start.AddSeconds(5), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(sleep.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await sleep.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Until_ATimeAlreadyPassed_CompletesAtOnce()
    {
        var time = new FakeTimeProvider(Start);
        await time.UntilAsync(Start.AddSeconds(-1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Until_ClockMovesWhileTheTimerIsArmed_StillWakesOnTime()
    {
        // The clock jumps one second just before the first timer is created, as a test advancing
        // a fake clock can between a loop reading the clock and arming its timer. A timer armed
        // for the wait computed before the jump would fire at 6 s; the sleep must end at 5 s.
        var time = new ClockThatJumpsWhileArming(Start, TimeSpan.FromSeconds(1));
        var sleep = time.UntilAsync(Start.AddSeconds(5), CancellationToken.None);
        Assert.Equal(1, time.Jumps);
        time.Advance(TimeSpan.FromSeconds(4));
        await sleep.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Start.AddSeconds(5), time.GetUtcNow());
    }

    [Fact]
    public async Task Until_Cancelled_Throws()
    {
        var time = new FakeTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var sleep = time.UntilAsync(Start.AddMinutes(1), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleep.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A fake clock that advances by <c>jump</c> once, at the moment the first timer is created.</summary>
    private sealed class ClockThatJumpsWhileArming(DateTimeOffset start, TimeSpan jump) : FakeTimeProvider(start)
    {
        public int Jumps { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (Jumps == 0)
            {
                Jumps++;
                Advance(jump);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
