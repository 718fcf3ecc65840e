using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckStateMachineTests
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>A driver whose check is already confirmed ok (the first ok confirms at once).</summary>
    private static CheckDriver OkDriver(int failAfter = 1, int passAfter = 1, TimeSpan? @for = null, FlappingPolicy? flapping = null)
    {
        var d = new CheckDriver(CheckDriver.Config(failAfter, passAfter, @for), flapping);
        Assert.NotNull(d.Apply(Results.Ok()));
        Assert.Equal(HealthState.Ok, d.Status.State);
        return d;
    }

    // ---- initial state ------------------------------------------------------------------------

    [Fact]
    public void Initial_NewCheck_IsUnknownWithoutCounters()
    {
        var s = CheckStatus.Initial("edge-api/health", CheckDriver.Start);

        Assert.Equal(HealthState.Unknown, s.State);
        Assert.Equal(FailureReason.None, s.Reason);
        Assert.Equal(CheckDriver.Start, s.Since);
        Assert.Equal(0, s.ConsecutiveFailures);
        Assert.Equal(0, s.ConsecutivePasses);
        Assert.Null(s.LastResult);
        Assert.False(s.Paused);
        Assert.False(s.Flapping);
        Assert.Empty(s.RecentChanges);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Apply_FirstOkFromInitial_ConfirmsOkAtOnce(int passAfter)
    {
        var d = new CheckDriver(CheckDriver.Config(failAfter: 3, passAfter: passAfter));
        d.Advance(TimeSpan.FromSeconds(7));

        var change = d.Apply(Results.Ok("HTTP 200 in 12ms"));

        Assert.NotNull(change);
        Assert.Equal(new StateChange("edge-api/health", HealthState.Unknown, HealthState.Ok, FailureReason.None, CheckDriver.Start.AddSeconds(7), "HTTP 200 in 12ms", false), change);
        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(FailureReason.None, d.Status.Reason);
        Assert.Equal(CheckDriver.Start.AddSeconds(7), d.Status.Since);
        Assert.Equal(1, d.Status.ConsecutivePasses);
    }

    [Fact]
    public void Apply_FirstCriticalFromInitialWithFailAfterOne_ConfirmsCritical()
    {
        var d = new CheckDriver(CheckDriver.Config(failAfter: 1));

        var change = d.Apply(Results.Critical(FailureReason.Dns, "edge.example: NXDOMAIN"));

        Assert.NotNull(change);
        Assert.Equal(HealthState.Unknown, change.From);
        Assert.Equal(HealthState.Critical, change.To);
        Assert.Equal(FailureReason.Dns, change.Reason);
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(FailureReason.Dns, d.Status.Reason);
    }

    // ---- fail_after / pass_after --------------------------------------------------------------

    [Fact]
    public void Apply_FailAfterThree_ConfirmsOnThirdNonOkInARow()
    {
        var d = OkDriver(failAfter: 3);
        var okSince = d.Status.Since;

        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(okSince, d.Status.Since);
        Assert.Equal(2, d.Status.ConsecutiveFailures);

        var change = d.ApplyAfter(Every, Results.Critical(FailureReason.Timeout, "no answer within 5s"));

        Assert.NotNull(change);
        Assert.Equal(HealthState.Ok, change.From);
        Assert.Equal(HealthState.Critical, change.To);
        Assert.Equal(FailureReason.Timeout, change.Reason);
        Assert.Equal("no answer within 5s", change.Message);
        Assert.Equal(d.Now, change.At);
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(d.Now, d.Status.Since);
        Assert.Equal(3, d.Status.ConsecutiveFailures);
    }

    [Fact]
    public void Apply_OkBetweenFailures_ResetsFailureCount()
    {
        var d = OkDriver(failAfter: 3);

        Assert.Empty(d.ApplyMany(2, Every, Results.Critical()));
        Assert.Null(d.ApplyAfter(Every, Results.Ok()));
        Assert.Equal(0, d.Status.ConsecutiveFailures);
        Assert.Empty(d.ApplyMany(2, Every, Results.Critical()));
        Assert.Equal(HealthState.Ok, d.Status.State);

        var change = d.ApplyAfter(Every, Results.Critical());

        Assert.NotNull(change);
        Assert.Equal(HealthState.Critical, change.To);
    }

    [Fact]
    public void Apply_PassAfterTwo_RecoversOnSecondOkInARow()
    {
        var d = OkDriver(failAfter: 1, passAfter: 2);
        Assert.NotNull(d.ApplyAfter(Every, Results.Critical()));

        // One ok, then a failure: the ok streak is broken and the check stays critical.
        Assert.Null(d.ApplyAfter(Every, Results.Ok()));
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(1, d.Status.ConsecutivePasses);
        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        Assert.Equal(0, d.Status.ConsecutivePasses);

        Assert.Null(d.ApplyAfter(Every, Results.Ok()));
        Assert.Equal(HealthState.Critical, d.Status.State);
        var change = d.ApplyAfter(Every, Results.Ok("HTTP 200"));

        Assert.NotNull(change);
        Assert.Equal(HealthState.Critical, change.From);
        Assert.Equal(HealthState.Ok, change.To);
        Assert.Equal(FailureReason.None, change.Reason);
        Assert.Equal("HTTP 200", change.Message);
        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(FailureReason.None, d.Status.Reason);
        Assert.Equal(d.Now, d.Status.Since);
    }

    [Fact]
    public void Apply_OkWhileOk_NoChangeAndSinceKept()
    {
        var d = OkDriver(passAfter: 2);
        var since = d.Status.Since;

        Assert.Empty(d.ApplyMany(20, Every, Results.Ok()));

        Assert.Equal(since, d.Status.Since);
        Assert.Equal(21, d.Status.ConsecutivePasses);
    }

    // ---- for: ---------------------------------------------------------------------------------

    [Fact]
    public void Apply_ForFiveMinutes_HoldsUntilStreakIsFiveMinutesOld()
    {
        var minute = TimeSpan.FromMinutes(1);
        var d = OkDriver(failAfter: 3, @for: TimeSpan.FromMinutes(5));

        // The streak begins with the first failure; fail_after is met at the third (2 minutes in).
        Assert.Null(d.ApplyAfter(minute, Results.Critical()));
        var streakStart = d.Now;
        Assert.Equal(streakStart, d.Status.StreakSince);
        for (var i = 1; i <= 4; i++)
        {
            Assert.Null(d.ApplyAfter(minute, Results.Critical()));
            Assert.Equal(HealthState.Ok, d.Status.State);
        }

        Assert.Equal(streakStart, d.Status.StreakSince);
        Assert.Equal(TimeSpan.FromMinutes(4), d.Now - streakStart);
        Assert.Null(d.ApplyAfter(TimeSpan.FromSeconds(59), Results.Critical()));

        var change = d.ApplyAfter(TimeSpan.FromSeconds(1), Results.Critical());

        Assert.NotNull(change);
        Assert.Equal(streakStart + TimeSpan.FromMinutes(5), change.At);
        Assert.Equal(HealthState.Critical, change.To);
    }

    [Fact]
    public void Apply_ForMetBeforeFailAfter_WaitsForFailAfterToo()
    {
        // every 10m with for: 5m: time is not the limit, the count is.
        var d = OkDriver(failAfter: 3, @for: TimeSpan.FromMinutes(5));
        var tenMinutes = TimeSpan.FromMinutes(10);

        Assert.Null(d.ApplyAfter(tenMinutes, Results.Critical()));
        Assert.Null(d.ApplyAfter(tenMinutes, Results.Critical()));
        Assert.NotNull(d.ApplyAfter(tenMinutes, Results.Critical()));
    }

    [Fact]
    public void Apply_ForStreakInterruptedByOk_RestartsTheClock()
    {
        var minute = TimeSpan.FromMinutes(1);
        var d = OkDriver(failAfter: 1, @for: TimeSpan.FromMinutes(5));

        Assert.Empty(d.ApplyMany(4, minute, Results.Critical()));
        Assert.Null(d.ApplyAfter(minute, Results.Ok()));
        Assert.Null(d.Status.StreakSince);

        Assert.Null(d.ApplyAfter(minute, Results.Critical()));
        var secondStreak = d.Now;
        // Six minutes after the first streak began, but only four into the second one.
        Assert.Empty(d.ApplyMany(4, minute, Results.Critical()));
        Assert.Equal(HealthState.Ok, d.Status.State);

        var change = d.ApplyAfter(minute, Results.Critical());

        Assert.NotNull(change);
        Assert.Equal(secondStreak + TimeSpan.FromMinutes(5), change.At);
    }

    // ---- within a non-ok run ------------------------------------------------------------------

    [Fact]
    public void Apply_CriticalThenWarningWithinRun_FollowsLatestResult()
    {
        var d = OkDriver(failAfter: 2);
        d.ApplyMany(2, Every, Results.Critical(FailureReason.Threshold, "disk = 97, above critical 95"));
        Assert.Equal(HealthState.Critical, d.Status.State);

        var down = d.ApplyAfter(Every, Results.Warning(FailureReason.Threshold, "disk = 90, above warning 85"));

        Assert.NotNull(down);
        Assert.Equal(HealthState.Critical, down.From);
        Assert.Equal(HealthState.Warning, down.To);
        Assert.Equal(FailureReason.Threshold, down.Reason);
        Assert.Equal("disk = 90, above warning 85", down.Message);
        Assert.Equal(HealthState.Warning, d.Status.State);

        var up = d.ApplyAfter(Every, Results.Critical(FailureReason.Threshold, "disk = 99, above critical 95"));

        Assert.NotNull(up);
        Assert.Equal(HealthState.Warning, up.From);
        Assert.Equal(HealthState.Critical, up.To);
    }

    [Fact]
    public void Apply_SameStateNewReason_UpdatesReasonQuietly()
    {
        var d = OkDriver();
        Assert.NotNull(d.ApplyAfter(Every, Results.Critical(FailureReason.Timeout, "no answer within 5s")));
        var since = d.Status.Since;
        var changesBefore = d.Changes.Count;

        var change = d.ApplyAfter(Every, Results.Critical(FailureReason.Connect, "connection refused"));

        Assert.Null(change);
        Assert.Equal(changesBefore, d.Changes.Count);
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(FailureReason.Connect, d.Status.Reason);
        Assert.Equal(since, d.Status.Since);
        Assert.Equal("connection refused", d.Status.LastResult?.Message);
    }

    [Fact]
    public void Apply_SameStateSameReason_NoChange()
    {
        var d = OkDriver();
        Assert.NotNull(d.ApplyAfter(Every, Results.Critical(FailureReason.Status, "HTTP 503 (expected 200)")));
        var since = d.Status.Since;

        Assert.Empty(d.ApplyMany(10, Every, Results.Critical(FailureReason.Status, "HTTP 503 (expected 200)")));

        Assert.Equal(FailureReason.Status, d.Status.Reason);
        Assert.Equal(since, d.Status.Since);
        Assert.Equal(11, d.Status.ConsecutiveFailures);
    }

    [Fact]
    public void Apply_ReasonOfUnconfirmedFailure_DoesNotLeakIntoOkStatus()
    {
        var d = OkDriver(failAfter: 3);

        d.ApplyAfter(Every, Results.Critical(FailureReason.Timeout));

        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(FailureReason.None, d.Status.Reason);
    }

    // ---- unknown ------------------------------------------------------------------------------

    [Fact]
    public void Apply_UnknownResults_CountAsNonOk()
    {
        var d = OkDriver(failAfter: 2);

        Assert.Null(d.ApplyAfter(Every, Results.Unknown()));
        Assert.Equal(1, d.Status.ConsecutiveFailures);
        var change = d.ApplyAfter(Every, Results.Unknown(FailureReason.NoData, "query returned no data"));

        Assert.NotNull(change);
        Assert.Equal(HealthState.Ok, change.From);
        Assert.Equal(HealthState.Unknown, change.To);
        Assert.Equal(FailureReason.NoData, change.Reason);
    }

    [Fact]
    public void Apply_UnknownInsideCriticalStreak_DoesNotResetTheCount()
    {
        var d = OkDriver(failAfter: 3);

        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        Assert.Null(d.ApplyAfter(Every, Results.Unknown()));
        var change = d.ApplyAfter(Every, Results.Critical());

        Assert.NotNull(change);
        Assert.Equal(HealthState.Critical, change.To);
    }

    // ---- pause / resume -----------------------------------------------------------------------

    [Fact]
    public void Apply_Paused_RecordsLastResultButNeverChangesState()
    {
        var d = OkDriver(failAfter: 1);
        var since = d.Status.Since;
        d.SetPaused(true);

        for (var i = 0; i < 10; i++)
        {
            Assert.Null(d.ApplyAfter(Every, Results.Critical(FailureReason.Connect, $"refused #{i}")));
        }

        Assert.True(d.Status.Paused);
        Assert.Equal(HealthState.Ok, d.Status.State);
        Assert.Equal(since, d.Status.Since);
        Assert.Equal(0, d.Status.ConsecutiveFailures);
        Assert.Equal("refused #9", d.Status.LastResult?.Message);
        Assert.Equal(d.Now, d.Status.LastResultAt);
    }

    [Fact]
    public void SetPaused_Pause_KeepsStateForDisplay()
    {
        var d = OkDriver(failAfter: 1);
        d.ApplyAfter(Every, Results.Critical(FailureReason.Tls, "certificate expired"));

        d.SetPaused(true);

        Assert.True(d.Status.Paused);
        Assert.Equal(HealthState.Critical, d.Status.State);
        Assert.Equal(FailureReason.Tls, d.Status.Reason);
    }

    [Fact]
    public void SetPaused_Resume_ResetsCounters()
    {
        var d = OkDriver(failAfter: 3, @for: TimeSpan.FromSeconds(20));
        d.ApplyMany(2, Every, Results.Critical());
        Assert.Equal(2, d.Status.ConsecutiveFailures);
        Assert.NotNull(d.Status.StreakSince);

        d.SetPaused(true);
        d.Advance(TimeSpan.FromHours(1));
        d.SetPaused(false);

        Assert.False(d.Status.Paused);
        Assert.Equal(0, d.Status.ConsecutiveFailures);
        Assert.Equal(0, d.Status.ConsecutivePasses);
        Assert.Null(d.Status.StreakSince);

        // Without the reset, the third failure below would confirm at once (old streak, old count).
        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        var streakStart = d.Now;
        Assert.Null(d.ApplyAfter(Every, Results.Critical()));
        var change = d.ApplyAfter(Every, Results.Critical());

        Assert.NotNull(change);
        Assert.Equal(streakStart + TimeSpan.FromSeconds(20), change.At);
    }

    [Fact]
    public void SetPaused_ResumeDuringOkStreak_RequiresFullPassAfterAgain()
    {
        var d = OkDriver(failAfter: 1, passAfter: 3);
        d.ApplyAfter(Every, Results.Critical());
        d.ApplyMany(2, Every, Results.Ok());
        Assert.Equal(HealthState.Critical, d.Status.State);

        d.SetPaused(true);
        d.SetPaused(false);

        Assert.Empty(d.ApplyMany(2, Every, Results.Ok()));
        Assert.NotNull(d.ApplyAfter(Every, Results.Ok()));
    }

    // ---- flapping -----------------------------------------------------------------------------

    private static readonly FlappingPolicy Flap = new(5, TimeSpan.FromMinutes(30));

    /// <summary>Alternates ok/critical every 2 minutes: five confirmed changes (incl. unknown → ok) by minute 8.</summary>
    private static CheckDriver FlappingDriver()
    {
        var d = new CheckDriver(CheckDriver.Config(), Flap);
        var two = TimeSpan.FromMinutes(2);
        Assert.False(d.Apply(Results.Ok())!.Flapping);                 // 0m  unknown → ok
        Assert.False(d.ApplyAfter(two, Results.Critical())!.Flapping); // 2m  ok → critical
        Assert.False(d.ApplyAfter(two, Results.Ok())!.Flapping);       // 4m  critical → ok
        Assert.False(d.ApplyAfter(two, Results.Critical())!.Flapping); // 6m  ok → critical
        Assert.False(d.Status.Flapping);
        return d;
    }

    [Fact]
    public void Apply_FiveChangesWithinWindow_MarksChangeAndStatusFlapping()
    {
        var d = FlappingDriver();

        var fifth = d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Ok());

        Assert.NotNull(fifth);
        Assert.True(fifth.Flapping);
        Assert.True(d.Status.Flapping);
        Assert.Equal(5, d.Changes.Count);

        // Still recorded (not suppressed), still marked.
        var sixth = d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Critical());
        Assert.NotNull(sixth);
        Assert.True(sixth.Flapping);
        Assert.Equal(HealthState.Critical, d.Status.State);

        // A quiet result right after keeps the flag.
        Assert.Null(d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Critical()));
        Assert.True(d.Status.Flapping);
    }

    [Fact]
    public void Apply_FourChangesWithinWindow_NotFlapping()
    {
        var d = FlappingDriver();

        Assert.Null(d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Critical()));

        Assert.Equal(4, d.Changes.Count);
        Assert.False(d.Status.Flapping);
        Assert.All(d.Changes, c => Assert.False(c.Flapping));
    }

    [Fact]
    public void Apply_FiveChangesSpreadWiderThanWindow_NotFlapping()
    {
        var d = new CheckDriver(CheckDriver.Config(), Flap);
        var eight = TimeSpan.FromMinutes(8);

        d.Apply(Results.Ok());
        for (var i = 0; i < 10; i++)
        {
            d.ApplyAfter(eight, i % 2 == 0 ? Results.Critical() : Results.Ok());
        }

        // A change every 8 minutes: at most 4 fall inside any 30-minute window.
        Assert.Equal(11, d.Changes.Count);
        Assert.All(d.Changes, c => Assert.False(c.Flapping));
        Assert.False(d.Status.Flapping);
    }

    [Fact]
    public void Apply_QuietWindowAfterFlapping_ClearsFlapping()
    {
        var d = FlappingDriver();
        Assert.True(d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Ok())!.Flapping);   // 8m
        Assert.True(d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Critical())!.Flapping); // 10m, last change

        // Steady critical results every minute; 31 minutes after the last change the window is empty.
        for (var minute = 11; minute <= 41; minute++)
        {
            Assert.Null(d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Critical()));
        }

        Assert.False(d.Status.Flapping);
        var next = d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Ok());
        Assert.NotNull(next);
        Assert.False(next.Flapping);
        Assert.False(d.Status.Flapping);
    }

    [Fact]
    public void Apply_QuietWindowEndedByReasonOnlyUpdate_ClearsFlapping()
    {
        var d = FlappingDriver();
        d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Ok());                                   // 8m
        d.ApplyAfter(TimeSpan.FromMinutes(2), Results.Critical(FailureReason.Connect));       // 10m, last change
        Assert.True(d.Status.Flapping);

        // 35 quiet minutes later the failure mode changes (connect → timeout): same state, new reason.
        var change = d.ApplyAfter(TimeSpan.FromMinutes(35), Results.Critical(FailureReason.Timeout, "no answer within 5s"));

        Assert.Null(change);
        Assert.Equal(FailureReason.Timeout, d.Status.Reason);
        Assert.False(d.Status.Flapping);
    }

    [Fact]
    public void Apply_DefaultFlappingPolicy_IsFiveChangesInThirtyMinutes()
    {
        Assert.Equal(new FlappingPolicy(5, TimeSpan.FromMinutes(30)), FlappingPolicy.Default);

        var d = new CheckDriver(CheckDriver.Config()); // no policy passed: the default applies
        d.Apply(Results.Ok());
        d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Critical());
        d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Ok());
        d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Critical());
        Assert.False(d.Status.Flapping);

        Assert.True(d.ApplyAfter(TimeSpan.FromMinutes(1), Results.Ok())!.Flapping);
    }

    // ---- arguments ----------------------------------------------------------------------------

    [Fact]
    public void Apply_NullArguments_Throw()
    {
        var status = CheckStatus.Initial("a/b", CheckDriver.Start);
        var config = CheckDriver.Config();

        Assert.Throws<ArgumentNullException>(() => CheckStateMachine.Apply(null!, Results.Ok(), config, CheckDriver.Start));
        Assert.Throws<ArgumentNullException>(() => CheckStateMachine.Apply(status, null!, config, CheckDriver.Start));
        Assert.Throws<ArgumentNullException>(() => CheckStateMachine.Apply(status, Results.Ok(), null!, CheckDriver.Start));
    }
}
