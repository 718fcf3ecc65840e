using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Audit;

namespace Vigil.Core.Tests.Audit;

public sealed class CheckpointPolicyTests
{
    private static readonly CheckpointPolicy Policy = new(100, TimeSpan.FromMinutes(1));

    [Fact]
    public void NothingWritten_NothingDue_NoWakeTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new CheckpointDecision(false, null), Policy.Decide(0, 0, null, clock.GetUtcNow()));
        Assert.Equal(new CheckpointDecision(false, null), Policy.Decide(42, 42, null, clock.GetUtcNow()));
    }

    [Fact]
    public void FewEntries_DueOneMaxDelayAfterTheOldestUncovered()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var written = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(30));
        var early = Policy.Decide(45, 42, written, clock.GetUtcNow());
        Assert.False(early.Due);
        Assert.Equal(written.AddMinutes(1), early.NextAt);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(Policy.Decide(45, 42, written, clock.GetUtcNow()).Due);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Policy.Decide(45, 42, written, clock.GetUtcNow()).Due);
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    [InlineData(5000, true)]
    public void ManyEntries_DueAtOnce(long uncovered, bool due)
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(due, Policy.Decide(1000 + uncovered, 1000, now, now).Due);
    }
}
