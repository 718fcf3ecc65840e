using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckPendingTests
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private static CheckDriver OkDriver(int failAfter = 1, TimeSpan? @for = null)
    {
        var d = new CheckDriver(new CheckConfig { Id = "health", Every = Every, FailAfter = failAfter, For = @for ?? TimeSpan.Zero });
        Assert.NotNull(d.Apply(Results.Ok()));
        return d;
    }

    private static PendingState? Pending(CheckDriver d, int failAfter = 1, TimeSpan? @for = null) =>
        CheckPending.Evaluate(d.Status, new CheckConfig { Id = "health", Every = Every, FailAfter = failAfter, For = @for ?? TimeSpan.Zero }, d.Now);

    [Fact]
    public void Evaluate_PassingCheck_IsNotPending()
    {
        var d = OkDriver(failAfter: 3);

        Assert.Null(Pending(d, failAfter: 3));
    }

    [Fact]
    public void Evaluate_FirstFailureOfFailAfterThree_PendingWithTwoIntervalsLeft()
    {
        var d = OkDriver(failAfter: 3);
        var streakStart = d.Now + Every;
        Assert.Null(d.ApplyAfter(Every, Results.Critical()));

        var p = Pending(d, failAfter: 3);

        Assert.NotNull(p);
        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(new PendingState(HealthState.Critical, 1, 3, streakStart, streakStart + (2 * Every), 2 * Every), p);
    }

    [Fact]
    public void Evaluate_TimePassesWithoutResult_LeftShrinksToZeroNotBelow()
    {
        var d = OkDriver(failAfter: 2);
        d.ApplyAfter(Every, Results.Critical());

        d.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(6), Pending(d, failAfter: 2)!.Left);

        d.Advance(TimeSpan.FromSeconds(30));
        var late = Pending(d, failAfter: 2);
        Assert.NotNull(late);
        Assert.Equal(TimeSpan.Zero, late.Left);
    }

    [Fact]
    public void Evaluate_InsideForDelay_PendingUntilStreakPlusFor()
    {
        var @for = TimeSpan.FromMinutes(5);
        var d = OkDriver(@for: @for);
        d.ApplyAfter(Every, Results.Warning());
        var streakStart = d.Now;
        d.ApplyMany(5, Every, Results.Warning());

        var p = Pending(d, @for: @for);

        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.NotNull(p);
        Assert.Equal(HealthState.Warning, p.Toward);
        Assert.Equal(6, p.Failures);
        Assert.Equal(streakStart + @for, p.Until);
        Assert.Equal(@for - (5 * Every), p.Left);
    }

    [Fact]
    public void Evaluate_ForAndFailAfter_WaitsForTheLaterOfTheTwo()
    {
        var d = OkDriver(failAfter: 4, @for: TimeSpan.FromSeconds(15));
        d.ApplyAfter(Every, Results.Critical());

        // for: would allow it after 15 s, but three more results take 30 s.
        Assert.Equal(3 * Every, Pending(d, failAfter: 4, @for: TimeSpan.FromSeconds(15))!.Left);
    }

    [Fact]
    public void Evaluate_RunConfirmed_IsNotPending()
    {
        var @for = TimeSpan.FromSeconds(30);
        var d = OkDriver(@for: @for);
        d.ApplyAfter(Every, Results.Critical());
        var changes = d.ApplyMany(3, Every, Results.Critical());

        Assert.Single(changes);
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Null(Pending(d, @for: @for));
    }

    [Fact]
    public void Evaluate_AlreadyCriticalAndNewRunAfterOneOk_IsNotPending()
    {
        var d = new CheckDriver(new CheckConfig { Id = "health", Every = Every, FailAfter = 2, PassAfter = 2 });
        d.Apply(Results.Ok());
        d.ApplyMany(2, Every, Results.Critical());
        d.ApplyAfter(Every, Results.Ok());
        d.ApplyAfter(Every, Results.Critical());

        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(1, d.Status.ConsecutiveFailures);
        Assert.Null(CheckPending.Evaluate(d.Status, new CheckConfig { Id = "health", Every = Every, FailAfter = 2, PassAfter = 2 }, d.Now));
    }

    [Fact]
    public void Evaluate_Paused_IsNotPending()
    {
        var d = OkDriver(failAfter: 3);
        d.ApplyAfter(Every, Results.Critical());
        d.SetPaused(true);

        Assert.Null(Pending(d, failAfter: 3));
    }

    [Fact]
    public void Evaluate_NewCheckFailingBeforeFirstConfirmation_PendingFromUnknown()
    {
        var d = new CheckDriver(new CheckConfig { Id = "health", Every = Every, FailAfter = 3 });
        d.Apply(Results.Critical());

        var p = CheckPending.Evaluate(d.Status, new CheckConfig { Id = "health", Every = Every, FailAfter = 3 }, d.Now);

        Assert.Equal(HealthState.Unknown, d.Status.State);
        Assert.NotNull(p);
        Assert.Equal(2 * Every, p.Left);
    }
}
