using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckDispatchTests
{
    private const string Key = "edge-api/health";
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly CheckTiming Every10s = new(TimeSpan.FromSeconds(10), TimeSpan.Zero);

    private static QueuedRun DueRun(int generation = 1) =>
        new(Key, generation, CheckSchedule.NextAfter(Key, Every10s.Every, Every10s.Jitter, Now));

    [Fact]
    public void Decide_IdleLiveCheck_RunsAndQueuesTheNextSlotFromTheDueTime()
    {
        var run = DueRun();
        var late = run.Due + TimeSpan.FromMilliseconds(30);

        var d = CheckDispatch.Decide(new DispatchState(1, Every10s, Paused: false, InFlight: false), run, late);

        Assert.Equal(DispatchAction.Run, d.Action);
        Assert.Equal(run.Due + TimeSpan.FromSeconds(10), d.NextDue);
        Assert.Equal(TimeSpan.FromMilliseconds(30), d.Lag);
    }

    [Fact]
    public void Decide_PreviousRunInFlight_SkipsButQueuesTheNext()
    {
        var run = DueRun();

        var d = CheckDispatch.Decide(new DispatchState(1, Every10s, Paused: false, InFlight: true), run, run.Due);

        Assert.Equal(DispatchAction.Skip, d.Action);
        Assert.Equal(run.Due + TimeSpan.FromSeconds(10), d.NextDue);
    }

    [Fact]
    public void Decide_PausedCheck_DoesNotRunButKeepsItsSchedule()
    {
        var run = DueRun();

        var d = CheckDispatch.Decide(new DispatchState(1, Every10s, Paused: true, InFlight: true), run, run.Due);

        Assert.Equal(DispatchAction.Paused, d.Action);
        Assert.Equal(run.Due + TimeSpan.FromSeconds(10), d.NextDue);
    }

    [Fact]
    public void Decide_TimingChangedSinceQueued_DropsTheStaleEntry()
    {
        var d = CheckDispatch.Decide(new DispatchState(2, Every10s, Paused: false, InFlight: false), DueRun(generation: 1), Now);

        Assert.Equal(new DispatchDecision(DispatchAction.Drop, null, TimeSpan.Zero), d);
    }

    [Fact]
    public void Decide_CheckNoLongerConfigured_DropsTheEntry() =>
        Assert.Equal(DispatchAction.Drop, CheckDispatch.Decide(null, DueRun(), Now).Action);

    [Fact]
    public void Decide_NewTimingOfTheSameGeneration_QueuesOnTheNewInterval()
    {
        var run = DueRun();
        var every30s = new CheckTiming(TimeSpan.FromSeconds(30), TimeSpan.Zero);

        var d = CheckDispatch.Decide(new DispatchState(1, every30s, Paused: false, InFlight: false), run, run.Due);

        Assert.Equal(CheckSchedule.NextAfter(Key, every30s.Every, TimeSpan.Zero, run.Due), d.NextDue);
    }

    [Fact]
    public void IsDue_AtAndAfterTheDueTime_True_Before_False()
    {
        Assert.True(CheckDispatch.IsDue(Now, Now));
        Assert.True(CheckDispatch.IsDue(Now, Now.AddTicks(1)));
        Assert.False(CheckDispatch.IsDue(Now.AddTicks(1), Now));
    }

    [Fact]
    public void WakeAt_QueuedRun_WakesAtIt_EmptyQueue_WaitsTheIdleWait()
    {
        Assert.Equal(Now.AddSeconds(2), CheckDispatch.WakeAt(Now.AddSeconds(2), Now));
        Assert.Equal(Now + CheckDispatch.IdleWait, CheckDispatch.WakeAt(null, Now));
    }
}
