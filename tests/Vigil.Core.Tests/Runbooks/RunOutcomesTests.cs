using Vigil.Core.Runbooks;
using static Vigil.Core.Tests.Runbooks.RunTestData;

namespace Vigil.Core.Tests.Runbooks;

public sealed class RunOutcomesTests
{
    [Fact]
    public void Decide_NothingStopped_Succeeded()
    {
        Assert.Equal(new RunEnding(RunStatus.Succeeded, null), RunOutcomes.Decide(null, serverStopping: false, null, null));
    }

    [Fact]
    public void Decide_StepFailed_FailedWithTheStepAndExitCode()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.StepFailed, Step(2, "boom"), ExitCode: 3), false, null, null);

        Assert.Equal(new RunEnding(RunStatus.Failed, "step 2 (boom) failed with exit code 3"), ending);
    }

    [Fact]
    public void Decide_StepFailedToStart_FailedWithoutExitCode_NamedByLine()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.StepFailed, Step(1, line: 42)), false, null, null);

        Assert.Equal(new RunEnding(RunStatus.Failed, "step 1 (line 42) failed"), ending);
    }

    [Fact]
    public void Decide_StepTimedOut_FailedWithItsTimeout()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.StepTimedOut, Step(3, "wait", timeout: TimeSpan.FromSeconds(90))), false, null, null);

        Assert.Equal(new RunEnding(RunStatus.Failed, "step 3 (wait) ran past its 1m timeout and was stopped"), ending);
    }

    [Fact]
    public void Decide_FrozenStepRefused_FailedNamingTheFreezeAndTheOverride()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.FrozenStepRefused, Step(2, "restart", mutating: true), Freeze: Freeze(7, "edge-api")), false, null, null);

        Assert.Equal(RunStatus.Failed, ending.Status);
        Assert.Equal("step 2 (restart) changes something and service edge-api is frozen (freeze #7 by alice: release week); nothing was run. "
            + "An operator can run it with --override-freeze --reason R", ending.Error);
    }

    [Fact]
    public void Decide_Declined_CancelledNamingWhoDeclined()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.ConfirmationDeclined, Step(1, "drop"), By: "bob"), false, null, null);

        Assert.Equal(new RunEnding(RunStatus.Cancelled, "step 1 (drop) declined by bob"), ending);
    }

    [Fact]
    public void Decide_ConfirmationTimedOut_CancelledWithTheWait()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.ConfirmationTimedOut, Step(4), ConfirmTimeout: TimeSpan.FromMinutes(15)), false, null, null);

        Assert.Equal(new RunEnding(RunStatus.Cancelled, "nobody confirmed step 4 within 15m"), ending);
    }

    [Fact]
    public void Decide_CancelledByAPerson_CancelledWithWhoAndWhy()
    {
        var stop = new RunStop(RunStopReason.Cancelled, Step(2));

        Assert.Equal(new RunEnding(RunStatus.Cancelled, "cancelled by carol: wrong host"), RunOutcomes.Decide(stop, false, "carol", "wrong host"));
        Assert.Equal(new RunEnding(RunStatus.Cancelled, "cancelled by carol"), RunOutcomes.Decide(stop, false, "carol", null));
        Assert.Equal(new RunEnding(RunStatus.Cancelled, "cancelled by the requester"), RunOutcomes.Decide(stop, false, null, null));
    }

    [Fact]
    public void Decide_CancelledAsTheServerStops_Interrupted_UnlessAPersonCancelled()
    {
        var stop = new RunStop(RunStopReason.Cancelled, Step(2));

        Assert.Equal(new RunEnding(RunStatus.Interrupted, "the server stopped while the run was in flight"), RunOutcomes.Decide(stop, true, null, null));
        Assert.Equal(RunStatus.Cancelled, RunOutcomes.Decide(stop, true, "carol", null).Status);
    }

    [Fact]
    public void Decide_FailureWhileTheServerStops_StaysFailed()
    {
        var ending = RunOutcomes.Decide(new RunStop(RunStopReason.StepFailed, Step(1, "x"), ExitCode: 1), true, null, null);

        Assert.Equal(RunStatus.Failed, ending.Status);
    }

    [Theory]
    [InlineData(RunStopReason.StepFailed, 1, 1, true)]
    [InlineData(RunStopReason.StepTimedOut, 2, 1, true)]
    [InlineData(RunStopReason.FrozenStepRefused, 1, 1, true)]
    [InlineData(RunStopReason.FrozenStepRefused, 0, 1, false)]
    [InlineData(RunStopReason.StepFailed, 1, 0, false)]
    [InlineData(RunStopReason.Cancelled, 2, 1, false)]
    [InlineData(RunStopReason.ConfirmationDeclined, 2, 1, false)]
    [InlineData(RunStopReason.ConfirmationTimedOut, 2, 1, false)]
    public void RollsBack_OnlyAfterAFailureWithStepsRunAndARollback(RunStopReason reason, int executed, int rollbackSteps, bool expected)
    {
        Assert.Equal(expected, RunOutcomes.RollsBack(new RunStop(reason, Step(1)), executed, rollbackSteps));
    }

    [Fact]
    public void RollsBack_NotWhenNothingStopped()
    {
        Assert.False(RunOutcomes.RollsBack(null, 3, 1));
    }
}
