using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class DrillJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Rto = TimeSpan.FromMinutes(2);

    private static DrillObservation Seen(double? injected = 1, double? detected = 20, double? recovered = 60, bool verified = true, string? paged = null,
        string? failure = null) =>
        new(T0, At(injected), At(detected), At(recovered), verified, paged, failure, TimeSpan.FromMinutes(5));

    private static DateTimeOffset? At(double? seconds) => seconds is { } s ? T0.AddSeconds(s) : null;

    [Fact]
    public void Decide_DetectedRecoveredVerifiedWithinRto_Passes()
    {
        var verdict = DrillJudge.Decide(Seen(), Rto);

        Assert.Equal(DrillResult.Pass, verdict.Result);
        Assert.Equal(TimeSpan.FromSeconds(59), verdict.Total);
        Assert.Equal("detected in 19.0 s, recovered in 59.0 s from injection, within the RTO of 2m; nobody was paged", verdict.Reason);
    }

    [Fact]
    public void Decide_TotalExactlyTheRto_Passes_AndOneMillisecondOver_Fails()
    {
        Assert.Equal(DrillResult.Pass, DrillJudge.Decide(Seen(injected: 0, recovered: 120), Rto).Result);

        var over = DrillJudge.Decide(Seen(injected: 0, recovered: 120.001), Rto);

        Assert.Equal(DrillResult.Fail, over.Result);
        Assert.Equal("took 120.0 s from injection to recovery, over the RTO of 2m", over.Reason);
    }

    [Fact]
    public void Decide_NeverDetected_FailsNotDetected_EvenWhenRecoveredInTime()
    {
        var verdict = DrillJudge.Decide(Seen(detected: null), Rto);

        Assert.Equal(DrillResult.Fail, verdict.Result);
        Assert.StartsWith("not detected: no expected check went critical and opened an incident within 5m of the injection", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NotDetected_SaysWhatTheChecksShowed()
    {
        var verdict = DrillJudge.Decide(Seen(detected: null) with { MissedBecause = "at the deadline: shop/health ok since 10:00:03 UTC" }, Rto);

        Assert.StartsWith("not detected: no expected check went critical and opened an incident within 5m of the injection (at the deadline: shop/health ok since 10:00:03 UTC)",
            verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SomeoneWasPaged_Fails_ThoughEverythingElseHeld()
    {
        var verdict = DrillJudge.Decide(Seen(paged: "incident #4 (db) sent 1 page(s)"), Rto);

        Assert.Equal(DrillResult.Fail, verdict.Result);
        Assert.Equal("paging would have happened: incident #4 (db) sent 1 page(s)", verdict.Reason);
    }

    [Fact]
    public void Decide_InjectionFailed_FailsWithTheRunsReason_AndNothingElse()
    {
        var verdict = DrillJudge.Decide(Seen(injected: null, detected: null, recovered: null, failure: "inject run #3 failed: exit 1"), Rto);

        Assert.Equal(DrillResult.Fail, verdict.Result);
        Assert.Equal("the fault was not injected (inject run #3 failed: exit 1)", verdict.Reason);
        Assert.Null(verdict.Total);
    }

    [Fact]
    public void Decide_NotRecoveredAndNotDetected_GivesEveryReason_MostImportantFirst()
    {
        var verdict = DrillJudge.Decide(Seen(detected: null, recovered: null), Rto);

        Assert.Equal(DrillResult.Fail, verdict.Result);
        var reasons = verdict.Reason.Split("; ");
        Assert.StartsWith("not detected", reasons[0], StringComparison.Ordinal);
        Assert.StartsWith("not recovered", reasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_VerifyFailed_Fails()
    {
        var verdict = DrillJudge.Decide(Seen(verified: false, failure: "verify run #9 failed: step 1 (probe) failed with exit code 7"), Rto);

        Assert.Equal(DrillResult.Fail, verdict.Result);
        Assert.Equal("verify run #9 failed: step 1 (probe) failed with exit code 7", verdict.Reason);
    }

    [Fact]
    public void Decide_VerifyDidNotSucceed_WithoutARunFailure_SaysSo()
    {
        Assert.Equal("verify did not succeed", DrillJudge.Decide(Seen(verified: false), Rto).Reason);
    }
}
