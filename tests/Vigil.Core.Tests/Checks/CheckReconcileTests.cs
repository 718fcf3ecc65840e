using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckReconcileTests
{
    private static readonly CheckTiming Every10s = new(TimeSpan.FromSeconds(10), TimeSpan.Zero);
    private static readonly CheckTiming Every30s = new(TimeSpan.FromSeconds(30), TimeSpan.Zero);

    private static KeyValuePair<string, CheckTiming>[] Checks(params (string Key, CheckTiming Timing)[] items) =>
        items.Select(i => KeyValuePair.Create(i.Key, i.Timing)).ToArray();

    [Fact]
    public void Plan_SameConfig_KeepsEverything()
    {
        var live = Checks(("a/1", Every10s), ("a/2", Every30s));

        var plan = CheckReconcile.Plan(live, live);

        Assert.Equal(["a/1", "a/2"], plan.Kept);
        Assert.Empty(plan.Added);
        Assert.Empty(plan.Retimed);
        Assert.Empty(plan.Removed);
    }

    [Fact]
    public void Plan_MixedChanges_SortsEachCheckIntoOneListInConfigOrder()
    {
        var live = Checks(("a/keep", Every10s), ("a/slower", Every10s), ("a/gone", Every10s), ("b/gone", Every30s));
        var configured = Checks(("c/new", Every10s), ("a/slower", Every30s), ("a/keep", Every10s), ("b/new", Every30s));

        var plan = CheckReconcile.Plan(live, configured);

        Assert.Equal(["c/new", "b/new"], plan.Added);
        Assert.Equal(["a/slower"], plan.Retimed);
        Assert.Equal(["a/keep"], plan.Kept);
        Assert.Equal(["a/gone", "b/gone"], plan.Removed);
    }

    [Fact]
    public void Plan_OnlyJitterChanged_Retimes()
    {
        var plan = CheckReconcile.Plan(Checks(("a/1", Every10s)), Checks(("a/1", Every10s with { Jitter = TimeSpan.FromSeconds(2) })));

        Assert.Equal(["a/1"], plan.Retimed);
        Assert.Empty(plan.Kept);
    }

    [Fact]
    public void Plan_EmptyConfig_RemovesAllLive_EmptyLive_AddsAllConfigured()
    {
        var some = Checks(("a/1", Every10s), ("a/2", Every10s));

        Assert.Equal(["a/1", "a/2"], CheckReconcile.Plan(some, []).Removed);
        Assert.Equal(["a/1", "a/2"], CheckReconcile.Plan([], some).Added);
    }

    [Fact]
    public void Plan_KeyRepeatedInConfig_CountsOnce()
    {
        var plan = CheckReconcile.Plan([], Checks(("a/1", Every10s), ("a/1", Every30s)));

        Assert.Equal(["a/1"], plan.Added);
    }
}
