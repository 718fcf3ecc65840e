using Vigil.Core.Slos;

namespace Vigil.Core.Tests.Slos;

public sealed class RecoveryObjectivesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Newest_SameRank_TakesTheNewestPointPerService()
    {
        var newest = RecoveryObjectives.Newest([
            new RecoveryPoint("db", Now.AddHours(-3), "heartbeat db/a"),
            new RecoveryPoint("db", Now.AddHours(-1), "heartbeat db/b"),
            new RecoveryPoint("web", Now.AddHours(-5), "heartbeat web/a"),
        ]);
        Assert.Equal("heartbeat db/b", newest["db"].Source);
        Assert.Equal("heartbeat web/a", newest["web"].Source);
    }

    [Fact]
    public void Newest_AVerifiedBackup_OutranksANewerHeartbeat()
    {
        var newest = RecoveryObjectives.Newest([
            new RecoveryPoint("db", Now.AddMinutes(-5), "heartbeat db/nightly"),
            new RecoveryPoint("db", Now.AddHours(-6), "backup job db-nightly", RecoveryPointRank.Verified),
            new RecoveryPoint("db", Now.AddHours(-8), "backup job db-weekly", RecoveryPointRank.Verified),
        ]);
        Assert.Equal("backup job db-nightly", newest["db"].Source);

        var status = RecoveryObjectives.Evaluate("db", TimeSpan.FromHours(4), newest["db"], Now.AddDays(-1), Now);
        Assert.True(status.Breached);
        Assert.Contains("backup job db-nightly", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoPoint_CountsFromWhenTrackingBegan()
    {
        var fresh = RecoveryObjectives.Evaluate("db", TimeSpan.FromHours(1), null, Now.AddMinutes(-30), Now);
        Assert.False(fresh.Breached);
        var late = RecoveryObjectives.Evaluate("db", TimeSpan.FromHours(1), null, Now.AddMinutes(-61), Now);
        Assert.True(late.Breached);
        Assert.Contains("no recovery point", late.Message, StringComparison.Ordinal);
    }
}
