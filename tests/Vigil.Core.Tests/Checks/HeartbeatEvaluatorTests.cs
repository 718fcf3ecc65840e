using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Checks;

public sealed class HeartbeatEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private static HeartbeatCheckConfig Period(TimeSpan period, TimeSpan grace) => new() { Period = period, Grace = grace };

    private static HeartbeatCheckConfig Nightly() => new() { Cron = "0 2 * * *", Timezone = "Europe/Berlin", Grace = TimeSpan.FromHours(1) };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int second = 0) =>
        new(2025, month, day, hour, minute, second, TimeSpan.Zero);

    // ---- period -------------------------------------------------------------------------------

    [Fact]
    public void NextDue_Period_IsAnchorPlusPeriod()
    {
        Assert.Equal(T0.AddMinutes(15), HeartbeatEvaluator.NextDue(Period(TimeSpan.FromMinutes(15), TimeSpan.Zero), T0));
    }

    [Fact]
    public void NextDue_NeitherPeriodNorCron_DefaultsToOneHour()
    {
        Assert.Equal(T0.AddHours(1), HeartbeatEvaluator.NextDue(new HeartbeatCheckConfig(), T0));
    }

    [Fact]
    public void Evaluate_PeriodWithinPeriodPlusGrace_Ok()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var ping = new HeartbeatPing(HeartbeatPingKind.Success, T0);

        var mid = HeartbeatEvaluator.Evaluate(config, T0, ping, T0.AddDays(-3), T0.AddMinutes(30));
        var atDeadline = HeartbeatEvaluator.Evaluate(config, T0, ping, T0.AddDays(-3), T0.AddMinutes(65));

        Assert.Equal(HealthState.Ok, mid.State);
        Assert.Equal(FailureReason.None, mid.Reason);
        Assert.Contains("last success 2025-06-02 12:00:00Z", mid.Message, StringComparison.Ordinal);
        Assert.Contains("next expected by 2025-06-02 13:05:00Z", mid.Message, StringComparison.Ordinal);
        Assert.Equal(HealthState.Ok, atDeadline.State);
    }

    [Fact]
    public void Evaluate_PeriodPastPeriodPlusGrace_CriticalLate()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var ping = new HeartbeatPing(HeartbeatPingKind.Success, T0);

        var late = HeartbeatEvaluator.Evaluate(config, T0, ping, T0.AddDays(-3), T0.AddMinutes(65).AddSeconds(1));

        Assert.Equal(HealthState.Critical, late.State);
        Assert.Equal(FailureReason.Late, late.Reason);
        Assert.Contains("no successful ping since 2025-06-02 12:00:00Z", late.Message, StringComparison.Ordinal);
        Assert.Contains("expected by 2025-06-02 13:05:00Z", late.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("has not finished", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GraceIsAddedToPeriod_NotLateInsideGrace()
    {
        // Late after period alone would wrongly fire here, 10 minutes past the period but inside a 15 minute grace.
        var config = Period(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15));

        var r = HeartbeatEvaluator.Evaluate(config, T0, null, T0, T0.AddMinutes(40));

        Assert.Equal(HealthState.Ok, r.State);
    }

    [Fact]
    public void Evaluate_NeverPinged_CountsFromWatchingSince()
    {
        var config = Period(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2));
        var watching = T0.AddHours(-1); // long before: if the anchor were "now" it would never be late

        var ok = HeartbeatEvaluator.Evaluate(config, null, null, T0, T0.AddMinutes(12));
        var late = HeartbeatEvaluator.Evaluate(config, null, null, watching, T0);

        Assert.Equal(HealthState.Ok, ok.State);
        Assert.Contains("no ping yet", ok.Message, StringComparison.Ordinal);
        Assert.Equal(HealthState.Critical, late.State);
        Assert.Equal(FailureReason.Late, late.Reason);
        Assert.Contains("watching began at 2025-06-02 11:00:00Z", late.Message, StringComparison.Ordinal);
        Assert.Contains("expected by 2025-06-02 11:12:00Z", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NeverPingedJustAfterDeadline_Late()
    {
        var config = Period(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2));

        var r = HeartbeatEvaluator.Evaluate(config, null, null, T0, T0.AddMinutes(12).AddTicks(1));

        Assert.Equal(HealthState.Critical, r.State);
        Assert.Equal(FailureReason.Late, r.Reason);
    }

    // ---- cron ---------------------------------------------------------------------------------

    [Theory]
    // Winter (CET, +01:00): 02:00 local is 01:00Z.
    [InlineData("2025-01-15T01:10:00Z", "2025-01-16T01:00:00Z")]
    // Summer (CEST, +02:00): 02:00 local is 00:00Z.
    [InlineData("2025-07-15T00:10:00Z", "2025-07-16T00:00:00Z")]
    // Anchor just before today's run: due today, not tomorrow.
    [InlineData("2025-07-15T23:59:00Z", "2025-07-16T00:00:00Z")]
    // Spring forward, Sun 30 Mar 2025: 02:00–03:00 does not exist; the run is due at the jump (03:00 CEST = 01:00Z).
    [InlineData("2025-03-29T12:00:00Z", "2025-03-30T01:00:00Z")]
    // The day after spring forward: 02:00 CEST = 00:00Z (a fixed +01:00 offset would say 01:00Z, UTC cron 02:00Z).
    [InlineData("2025-03-30T12:00:00Z", "2025-03-31T00:00:00Z")]
    // Fall back, Sun 26 Oct 2025: 02:00 happens twice; the run is due at the first (02:00 CEST = 00:00Z)...
    [InlineData("2025-10-25T12:00:00Z", "2025-10-26T00:00:00Z")]
    // ...and only once: after it, the next is Monday 02:00 CET (01:00Z), not the repeated 02:00 an hour later.
    [InlineData("2025-10-26T00:10:00Z", "2025-10-27T01:00:00Z")]
    public void NextDue_CronInBerlin_FollowsLocalTimeAcrossDst(string anchor, string expected)
    {
        var due = HeartbeatEvaluator.NextDue(Nightly(), DateTimeOffset.Parse(anchor, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), due);
    }

    [Fact]
    public void NextDue_CronWithSeconds_UsesSixFieldFormat()
    {
        var config = new HeartbeatCheckConfig { Cron = "*/30 * * * * *", Grace = TimeSpan.Zero };

        Assert.Equal(T0.AddSeconds(30), HeartbeatEvaluator.NextDue(config, T0.AddSeconds(1)));
    }

    [Fact]
    public void Evaluate_CronAroundSpringForward_LateOnlyAfterRunPlusGrace()
    {
        var config = Nightly();
        var lastSuccess = Utc(3, 29, 1, 7); // Saturday's 02:00 CET run pinged at 02:07 local
        var ping = new HeartbeatPing(HeartbeatPingKind.Success, lastSuccess);

        // Sunday's run is due at 03:00 CEST (01:00Z); with 1 h grace, late after 02:00Z.
        var before = HeartbeatEvaluator.Evaluate(config, lastSuccess, ping, Utc(3, 1, 0), Utc(3, 30, 2, 0));
        var after = HeartbeatEvaluator.Evaluate(config, lastSuccess, ping, Utc(3, 1, 0), Utc(3, 30, 2, 0, 1));

        Assert.Equal(HealthState.Ok, before.State);
        Assert.Contains("next expected by 2025-03-30 02:00:00Z", before.Message, StringComparison.Ordinal);
        Assert.Equal(HealthState.Critical, after.State);
        Assert.Equal(FailureReason.Late, after.Reason);
        Assert.Contains("expected by 2025-03-30 02:00:00Z", after.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CronAfterFallBack_NotLateAtRepeatedHour()
    {
        var config = Nightly();
        var lastSuccess = Utc(10, 26, 0, 5); // Sunday's first 02:00 (CEST) run pinged at 02:05 CEST
        var ping = new HeartbeatPing(HeartbeatPingKind.Success, lastSuccess);

        // Three hours later (after the repeated 02:00 CET plus grace) it must still be ok.
        var r = HeartbeatEvaluator.Evaluate(config, lastSuccess, ping, Utc(10, 1, 0), Utc(10, 26, 3, 0));

        Assert.Equal(HealthState.Ok, r.State);
    }

    // ---- fail / success / start pings ---------------------------------------------------------

    [Fact]
    public void Evaluate_FailPingAfterSuccess_CriticalExecWithExitCode()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var fail = new HeartbeatPing(HeartbeatPingKind.Fail, T0.AddMinutes(20), ExitCode: 3);

        // Well inside the deadline: a reported failure does not wait for lateness.
        var r = HeartbeatEvaluator.Evaluate(config, T0, fail, T0.AddDays(-1), T0.AddMinutes(21));

        Assert.Equal(HealthState.Critical, r.State);
        Assert.Equal(FailureReason.Exec, r.Reason);
        Assert.Contains("exit code 3", r.Message, StringComparison.Ordinal);
        Assert.Contains("2025-06-02 12:20:00Z", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FailPingWithoutExitCode_CriticalExecWithoutCode()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var fail = new HeartbeatPing(HeartbeatPingKind.Fail, T0.AddMinutes(20));

        var r = HeartbeatEvaluator.Evaluate(config, null, fail, T0, T0.AddMinutes(21));

        Assert.Equal(HealthState.Critical, r.State);
        Assert.Equal(FailureReason.Exec, r.Reason);
        Assert.DoesNotContain("exit code", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SuccessAfterFail_Ok()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var failAt = T0.AddMinutes(20);
        var successAt = T0.AddMinutes(40);

        // The store may hand over either the newest ping (the success) or a stale last-fail; both mean ok.
        var newest = HeartbeatEvaluator.Evaluate(config, successAt, new HeartbeatPing(HeartbeatPingKind.Success, successAt), T0, T0.AddMinutes(41));
        var staleFail = HeartbeatEvaluator.Evaluate(config, successAt, new HeartbeatPing(HeartbeatPingKind.Fail, failAt, 1), T0, T0.AddMinutes(41));

        Assert.Equal(HealthState.Ok, newest.State);
        Assert.Equal(HealthState.Ok, staleFail.State);
    }

    [Fact]
    public void Evaluate_StartPingWithinDeadline_Ok()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var start = new HeartbeatPing(HeartbeatPingKind.Start, T0.AddMinutes(59));

        var r = HeartbeatEvaluator.Evaluate(config, T0, start, T0.AddDays(-1), T0.AddMinutes(62));

        Assert.Equal(HealthState.Ok, r.State);
    }

    [Fact]
    public void Evaluate_StartPingPastDeadline_LateAndMentionsRunInProgress()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var start = new HeartbeatPing(HeartbeatPingKind.Start, T0.AddMinutes(58));

        var r = HeartbeatEvaluator.Evaluate(config, T0, start, T0.AddDays(-1), T0.AddMinutes(70));

        Assert.Equal(HealthState.Critical, r.State);
        Assert.Equal(FailureReason.Late, r.Reason);
        Assert.Contains("a run started at 2025-06-02 12:58:00Z has not finished", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StartPingOlderThanLastSuccess_NotMentioned()
    {
        var config = Period(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        var stale = new HeartbeatPing(HeartbeatPingKind.Start, T0.AddMinutes(-2));

        var r = HeartbeatEvaluator.Evaluate(config, T0, stale, T0.AddDays(-1), T0.AddMinutes(70));

        Assert.Equal(FailureReason.Late, r.Reason);
        Assert.DoesNotContain("has not finished", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NullConfig_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => HeartbeatEvaluator.Evaluate(null!, null, null, T0, T0));
        Assert.Throws<ArgumentNullException>(() => HeartbeatEvaluator.NextDue(null!, T0));
    }
}
