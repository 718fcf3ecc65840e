using System.Threading.Channels;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Lifecycle;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Hosting;

/// <summary>The shared loop's wake-up spacing, on a fake clock that moves only when the test moves it, with a real SQLite store's commits.</summary>
public sealed class SweepLoopTests
{
    private sealed class SpacedLoop(IVigilStore store, TimeProvider time, HealthBoard health) : SweepLoop(time, health)
    {
        public Channel<DateTimeOffset> Sweeps { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        public override string HealthName => "test-loop";

        protected override TimeSpan MaxSleep => TimeSpan.FromHours(1);

        protected override int FullBatch => int.MaxValue;

        protected override TimeSpan WakeSpacing => TimeSpan.FromSeconds(1);

        protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(CommitTopics.PublicStatus, ct);

        protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);

        public override Task<int> SweepAsync(CancellationToken ct)
        {
            Sweeps.Writer.TryWrite(Time.GetUtcNow());
            return Task.FromResult(0);
        }
    }

    [Fact]
    public async Task ACommitSoonAfterASweep_WaitsOutTheSpacing_ACommitAfterAQuietSpellWakesAtOnce()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var clock = new TimerWatchingTimeProvider(h.Time);
        using var loop = new SpacedLoop(h.Store, clock, h.Health);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var start = h.Now;

        var asleep = clock.NextTimerAsync(deadline.Token);
        await loop.StartAsync(CancellationToken.None);
        Assert.Equal(start, await loop.Sweeps.Reader.ReadAsync(deadline.Token));
        await asleep;

        // A commit at once: the loop arms a timer for the rest of the spacing instead of sweeping.
        var spacing = clock.NextTimerAsync(deadline.Token);
        await CommitAsync(h);
        await spacing;
        h.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(loop.Sweeps.Reader.TryRead(out _)); // no timer was due, so nothing ran
        asleep = clock.NextTimerAsync(deadline.Token);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(start + TimeSpan.FromSeconds(1), await loop.Sweeps.Reader.ReadAsync(deadline.Token));

        // After a quiet spell longer than the spacing, a commit wakes it with no time advance.
        await asleep;
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await CommitAsync(h);
        Assert.Equal(start + TimeSpan.FromSeconds(6), await loop.Sweeps.Reader.ReadAsync(deadline.Token));

        await loop.StopAsync(CancellationToken.None);
    }

    private static Task CommitAsync(LifecycleHarness h) =>
        h.Store.RecordAsync((s, _) =>
        {
            s.Raise(CommitTopics.PublicStatus);
            return Task.FromResult(0);
        }, CancellationToken.None);
}
