using Vigil.Core.Incidents;
using static Vigil.Core.Tests.Incidents.IncidentFixtures;

namespace Vigil.Core.Tests.Incidents;

public sealed class IncidentRulesTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // ---- GroupKey ---------------------------------------------------------------------------------

    [Fact]
    public void GroupKey_NoGroupBy_IsTheDedupKey()
    {
        var signal = Firing("fp-123", labels: Labels(("service", "api"), ("alertname", "HighLatency")));

        Assert.Equal("fp-123", IncidentRules.GroupKey(signal, []));
    }

    [Fact]
    public void GroupKey_AllGroupByLabelsPresent_IsTheLabelValuesInConfigOrder()
    {
        var a = Firing("fp-1", labels: Labels(("alertname", "HighLatency"), ("service", "api"), ("instance", "a:9100")));
        var b = Firing("fp-2", labels: Labels(("service", "api"), ("instance", "b:9100"), ("alertname", "HighLatency")));

        Assert.Equal("group:service=api,alertname=HighLatency", IncidentRules.GroupKey(a, ["service", "alertname"]));
        // Two dedup keys with the same group labels land in the same group.
        Assert.Equal(IncidentRules.GroupKey(a, ["service", "alertname"]), IncidentRules.GroupKey(b, ["service", "alertname"]));
    }

    [Fact]
    public void GroupKey_DifferentGroupValues_DifferentGroups()
    {
        var a = Firing("fp-1", labels: Labels(("service", "api"), ("alertname", "HighLatency")));
        var b = Firing("fp-2", labels: Labels(("service", "db"), ("alertname", "HighLatency")));

        Assert.NotEqual(IncidentRules.GroupKey(a, ["service", "alertname"]), IncidentRules.GroupKey(b, ["service", "alertname"]));
    }

    [Fact]
    public void GroupKey_AGroupByLabelMissing_FallsBackToTheDedupKey()
    {
        var signal = Firing("fp-9", labels: Labels(("service", "api")));

        Assert.Equal("fp-9", IncidentRules.GroupKey(signal, ["service", "alertname"]));
    }

    // ---- Route ------------------------------------------------------------------------------------

    [Theory]
    [InlineData(IncidentStatus.Triggered)]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Mitigated)]
    public void Route_LatestOpen_AttachesFiringAndResolvedSignals(IncidentStatus status)
    {
        var open = Incident(status);

        Assert.Equal(RouteDecision.Attach, IncidentRules.Route(Firing("db/ping"), open, Hour, T0.AddDays(3)));
        Assert.Equal(RouteDecision.Attach, IncidentRules.Route(Resolved("db/ping"), open, Hour, T0.AddDays(3)));
    }

    [Fact]
    public void Route_NoIncidentYet_FiringOpens()
    {
        Assert.Equal(RouteDecision.Open, IncidentRules.Route(Firing("db/ping"), null, Hour, T0));
    }

    [Fact]
    public void Route_ResolvedWithinWindow_FiringReopens()
    {
        var resolved = Incident(IncidentStatus.Resolved); // resolved at T0+45m

        Assert.Equal(RouteDecision.Reopen, IncidentRules.Route(Firing("db/ping"), resolved, Hour, T0.AddMinutes(55)));
        // The window is inclusive: exactly one hour after resolution still reopens.
        Assert.Equal(RouteDecision.Reopen, IncidentRules.Route(Firing("db/ping"), resolved, Hour, T0.AddMinutes(45) + Hour));
    }

    [Fact]
    public void Route_ResolvedLongerAgoThanTheWindow_FiringOpensANewIncident()
    {
        var resolved = Incident(IncidentStatus.Resolved);

        Assert.Equal(RouteDecision.Open, IncidentRules.Route(Firing("db/ping"), resolved, Hour, T0.AddMinutes(45) + Hour + TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Route_ReopenWindowZero_NeverReopens()
    {
        var resolved = Incident(IncidentStatus.Resolved);

        Assert.Equal(RouteDecision.Open, IncidentRules.Route(Firing("db/ping"), resolved, TimeSpan.Zero, T0.AddMinutes(45)));
        Assert.Equal(RouteDecision.Open, IncidentRules.Route(Firing("db/ping"), resolved, TimeSpan.Zero, T0.AddMinutes(46)));
    }

    [Fact]
    public void Route_ClosedIncident_IsNotReopenedEvenWithinTheWindow()
    {
        var closed = Incident(IncidentStatus.Closed) with { ResolvedAt = T0.AddMinutes(50) };

        Assert.Equal(RouteDecision.Open, IncidentRules.Route(Firing("db/ping"), closed, Hour, T0.AddMinutes(55)));
    }

    [Fact]
    public void Route_ResolvedSignalNobodySawFiring_IsIgnored()
    {
        Assert.Equal(RouteDecision.Ignore, IncidentRules.Route(Resolved("db/ping"), null, Hour, T0));
    }

    [Theory]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    public void Route_ResolvedSignalForAnIncidentNoLongerOpen_OnlyUpdates(IncidentStatus status)
    {
        // Even within the reopen window: a resolved signal never reopens anything.
        Assert.Equal(RouteDecision.UpdateOnly, IncidentRules.Route(Resolved("db/ping"), Incident(status), Hour, T0.AddMinutes(46)));
    }

    // ---- Open / Reopen ----------------------------------------------------------------------------

    [Fact]
    public void Open_SetsTriggeredWithAckTargetFromTheLevel()
    {
        var labels = Labels(("team", "web"));
        var i = IncidentRules.Open("api down", Level("P1", TimeSpan.FromHours(1)), "api", "api/health", "system:checks", true, labels, T0);

        Assert.Equal(0, i.Id);
        Assert.Equal(IncidentStatus.Triggered, i.Status);
        Assert.Equal("P1", i.Severity);
        Assert.Equal(T0, i.OpenedAt);
        Assert.Equal(T0.AddHours(1), i.AckDueAt);
        Assert.True(i.AutoResolve);
        Assert.Equal(0, i.Reopened);
        Assert.Same(labels, i.Labels);
    }

    [Fact]
    public void Open_LevelWithoutAckTarget_HasNoDueTime()
    {
        var level = new SeverityLevel("P9", "None", 0, null, false, false, []);

        Assert.Null(IncidentRules.Open("x", level, null, "k", "me", false, Labels(), T0).AckDueAt);
    }

    [Fact]
    public void Reopen_ClearsLifecycleTimesAndCountsTheReopen()
    {
        var resolved = Incident(IncidentStatus.Resolved) with { AckBreachedAt = T0.AddHours(4), Reopened = 2 };

        var again = IncidentRules.Reopen(resolved, Level("P2", TimeSpan.FromHours(4)), T0.AddMinutes(50));

        Assert.Equal(IncidentStatus.Triggered, again.Status);
        Assert.Null(again.AcknowledgedAt);
        Assert.Null(again.MitigatedAt);
        Assert.Null(again.ResolvedAt);
        Assert.Null(again.AckBreachedAt);
        Assert.Equal(T0.AddMinutes(50).AddHours(4), again.AckDueAt);
        Assert.Equal(3, again.Reopened);
        Assert.Equal(T0, again.OpenedAt);
        Assert.Equal(resolved.Id, again.Id);
    }

    [Fact]
    public void IsMoreSevere_LowerRankIsMoreSevere()
    {
        Assert.True(IncidentRules.IsMoreSevere(Level("P0", rank: 0), Level("P2", rank: 2)));
        Assert.False(IncidentRules.IsMoreSevere(Level("P2", rank: 2), Level("P0", rank: 0)));
        Assert.False(IncidentRules.IsMoreSevere(Level("P2", rank: 2), Level("P2", rank: 2)));
    }

    [Fact]
    public void RaiseSeverity_MoreSevere_KeepsTheAckClockRunningFromWhenItWasTriggered()
    {
        // Opened at T0 as P2 (ack within 4 h, due T0+4h); raised to P0 (ack within 15 m) an hour later.
        var raised = IncidentRules.RaiseSeverity(Incident(IncidentStatus.Triggered), Level("P2", TimeSpan.FromHours(4), rank: 2), Level("P0", TimeSpan.FromMinutes(15), rank: 0));

        Assert.NotNull(raised);
        Assert.Equal("P0", raised.Severity);
        Assert.Equal(T0 + TimeSpan.FromMinutes(15), raised.AckDueAt);
    }

    [Fact]
    public void RaiseSeverity_ReopenedIncident_ClockStartsAtTheReopen()
    {
        var reopenedAt = T0.AddHours(3);
        var reopened = Incident(IncidentStatus.Triggered) with { Reopened = 1, AckDueAt = reopenedAt + TimeSpan.FromHours(4) };

        var raised = IncidentRules.RaiseSeverity(reopened, Level("P2", TimeSpan.FromHours(4), rank: 2), Level("P1", TimeSpan.FromMinutes(30), rank: 1));

        Assert.Equal(reopenedAt + TimeSpan.FromMinutes(30), raised!.AckDueAt);
    }

    [Fact]
    public void RaiseSeverity_AcknowledgedOrBreached_KeepsItsTarget()
    {
        var acked = Incident(IncidentStatus.Acknowledged);
        var breached = Incident(IncidentStatus.Triggered) with { AckBreachedAt = T0.AddHours(4) };
        var (p2, p0) = (Level("P2", TimeSpan.FromHours(4), rank: 2), Level("P0", TimeSpan.FromMinutes(15), rank: 0));

        Assert.Equal(("P0", acked.AckDueAt), (IncidentRules.RaiseSeverity(acked, p2, p0)!.Severity, IncidentRules.RaiseSeverity(acked, p2, p0)!.AckDueAt));
        Assert.Equal(breached.AckDueAt, IncidentRules.RaiseSeverity(breached, p2, p0)!.AckDueAt);
    }

    [Theory]
    [InlineData(IncidentStatus.Triggered, 2, null)]
    [InlineData(IncidentStatus.Triggered, 3, null)]
    [InlineData(IncidentStatus.Resolved, 0, null)]
    [InlineData(IncidentStatus.Closed, 0, null)]
    [InlineData(IncidentStatus.Mitigated, 0, "P0")]
    public void RaiseSeverity_OnlyAnOpenIncidentAndOnlyUpwards(IncidentStatus status, int candidateRank, string? expected)
    {
        var raised = IncidentRules.RaiseSeverity(Incident(status), Level("P2", rank: 2), Level("P" + candidateRank, rank: candidateRank));

        Assert.Equal(expected, raised?.Severity);
    }

    [Fact]
    public void InhibitionReason_OpenDependencyIncident_NamesTheOldest()
    {
        var older = Incident(IncidentStatus.Acknowledged) with { Id = 3, Service = "disk", Title = "disk full" };
        var newer = Incident(IncidentStatus.Triggered) with { Id = 9, Service = "db", Title = "db down" };

        Assert.Equal("dependency disk has open incident #3 (disk full)", IncidentRules.InhibitionReason("api", [newer, older]));
        Assert.Null(IncidentRules.InhibitionReason("api", []));
        Assert.Null(IncidentRules.InhibitionReason("api", [Incident(IncidentStatus.Resolved)]));
        Assert.Null(IncidentRules.InhibitionReason(null, [older]));
    }

    // ---- Apply: every action from every status ----------------------------------------------------

    public static TheoryData<IncidentStatus, LifecycleAction, IncidentStatus?, string?> Transitions => new()
    {
        { IncidentStatus.Triggered, LifecycleAction.Acknowledge, IncidentStatus.Acknowledged, null },
        { IncidentStatus.Acknowledged, LifecycleAction.Acknowledge, null, "Incident #7 is acknowledged; only a triggered incident can be acknowledged." },
        { IncidentStatus.Mitigated, LifecycleAction.Acknowledge, null, "Incident #7 is mitigated; only a triggered incident can be acknowledged." },
        { IncidentStatus.Resolved, LifecycleAction.Acknowledge, null, "Incident #7 is resolved; only a triggered incident can be acknowledged." },
        { IncidentStatus.Closed, LifecycleAction.Acknowledge, null, "Incident #7 is closed; only a triggered incident can be acknowledged." },

        { IncidentStatus.Triggered, LifecycleAction.Mitigate, IncidentStatus.Mitigated, null },
        { IncidentStatus.Acknowledged, LifecycleAction.Mitigate, IncidentStatus.Mitigated, null },
        { IncidentStatus.Mitigated, LifecycleAction.Mitigate, null, "Incident #7 is mitigated; only a triggered or acknowledged incident can be mitigated." },
        { IncidentStatus.Resolved, LifecycleAction.Mitigate, null, "Incident #7 is resolved; only a triggered or acknowledged incident can be mitigated." },
        { IncidentStatus.Closed, LifecycleAction.Mitigate, null, "Incident #7 is closed; only a triggered or acknowledged incident can be mitigated." },

        { IncidentStatus.Triggered, LifecycleAction.Resolve, IncidentStatus.Resolved, null },
        { IncidentStatus.Acknowledged, LifecycleAction.Resolve, IncidentStatus.Resolved, null },
        { IncidentStatus.Mitigated, LifecycleAction.Resolve, IncidentStatus.Resolved, null },
        { IncidentStatus.Resolved, LifecycleAction.Resolve, null, "Incident #7 is already resolved." },
        { IncidentStatus.Closed, LifecycleAction.Resolve, null, "Incident #7 is already closed." },

        { IncidentStatus.Triggered, LifecycleAction.Close, null, "Incident #7 is triggered; resolve it before closing it ('vigil incident resolve 7')." },
        { IncidentStatus.Acknowledged, LifecycleAction.Close, null, "Incident #7 is acknowledged; resolve it before closing it ('vigil incident resolve 7')." },
        { IncidentStatus.Mitigated, LifecycleAction.Close, null, "Incident #7 is mitigated; resolve it before closing it ('vigil incident resolve 7')." },
        { IncidentStatus.Resolved, LifecycleAction.Close, IncidentStatus.Closed, null },
        { IncidentStatus.Closed, LifecycleAction.Close, null, "Incident #7 is already closed." },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Apply_EveryActionFromEveryStatus(IncidentStatus from, LifecycleAction action, IncidentStatus? to, string? refusal)
    {
        var incident = Incident(from);
        var now = T0.AddHours(3);

        var (next, why) = IncidentRules.Apply(incident, action, Level("P2"), now);

        if (to is null)
        {
            Assert.Null(next);
            Assert.Equal(refusal, why);
            return;
        }

        Assert.Null(why);
        Assert.NotNull(next);
        Assert.Equal(to, next.Status);
        Assert.Equal(incident.Id, next.Id);
        // The action's own time is stamped now; times already set stay as they were.
        switch (action)
        {
            case LifecycleAction.Acknowledge:
                Assert.Equal(now, next.AcknowledgedAt);
                break;
            case LifecycleAction.Mitigate:
                Assert.Equal(now, next.MitigatedAt);
                Assert.Equal(incident.AcknowledgedAt ?? now, next.AcknowledgedAt);
                break;
            case LifecycleAction.Resolve:
                Assert.Equal(now, next.ResolvedAt);
                Assert.Equal(incident.AcknowledgedAt, next.AcknowledgedAt);
                Assert.Equal(incident.MitigatedAt, next.MitigatedAt);
                break;
            case LifecycleAction.Close:
                Assert.Equal(now, next.ClosedAt);
                Assert.Equal(incident.ResolvedAt, next.ResolvedAt);
                break;
        }
    }

    [Fact]
    public void Apply_MitigateATriggeredIncident_CountsAsAcknowledgedToo()
    {
        var (next, _) = IncidentRules.Apply(Incident(IncidentStatus.Triggered), LifecycleAction.Mitigate, Level(), T0.AddMinutes(9));

        Assert.Equal(T0.AddMinutes(9), next!.AcknowledgedAt);
        Assert.False(IncidentRules.AckBreached(next, T0.AddDays(1)));
    }

    [Fact]
    public void Apply_CloseWithoutPir_RefusedWhenTheLevelRequiresOne()
    {
        var level = Level("SEV1", requirePir: true, rank: 0);
        var resolved = Incident(IncidentStatus.Resolved, "SEV1");

        var (next, why) = IncidentRules.Apply(resolved, LifecycleAction.Close, level, T0.AddDays(1));

        Assert.Null(next);
        Assert.Equal("Severity SEV1 requires a post-incident review before close: write it with 'vigil incident pir 7 --file pir-7.md', then close.", why);
    }

    [Fact]
    public void Apply_CloseAfterPir_AllowedWhenTheLevelRequiresOne()
    {
        var level = Level("SEV1", requirePir: true, rank: 0);
        var reviewed = Incident(IncidentStatus.Resolved, "SEV1", pirAt: T0.AddHours(20));

        var (next, why) = IncidentRules.Apply(reviewed, LifecycleAction.Close, level, T0.AddDays(1));

        Assert.Null(why);
        Assert.Equal(IncidentStatus.Closed, next!.Status);
        Assert.Equal(T0.AddDays(1), next.ClosedAt);
    }

    [Fact]
    public void Apply_CloseWithoutPir_AllowedWhenTheLevelDoesNotRequireOne()
    {
        var (next, why) = IncidentRules.Apply(Incident(IncidentStatus.Resolved), LifecycleAction.Close, Level("P3", requirePir: false), T0.AddDays(1));

        Assert.Null(why);
        Assert.Equal(IncidentStatus.Closed, next!.Status);
    }

    // ---- AckBreached ------------------------------------------------------------------------------

    [Fact]
    public void AckBreached_TriggeredPastDue_IsBreachedFromTheDueTimeOn()
    {
        var i = Incident(IncidentStatus.Triggered); // due T0+4h

        Assert.False(IncidentRules.AckBreached(i, T0.AddHours(4).AddMilliseconds(-1)));
        Assert.True(IncidentRules.AckBreached(i, T0.AddHours(4)));
        Assert.True(IncidentRules.AckBreached(i, T0.AddDays(2)));
    }

    [Fact]
    public void AckBreached_AlreadyRecorded_IsNotBreachedAgain()
    {
        var i = Incident(IncidentStatus.Triggered) with { AckBreachedAt = T0.AddHours(4) };

        Assert.False(IncidentRules.AckBreached(i, T0.AddHours(5)));
    }

    [Theory]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Mitigated)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    public void AckBreached_NotTriggered_IsNeverBreached(IncidentStatus status)
    {
        Assert.False(IncidentRules.AckBreached(Incident(status), T0.AddDays(5)));
    }

    [Fact]
    public void AckBreached_NoAckTarget_IsNeverBreached()
    {
        Assert.False(IncidentRules.AckBreached(Incident(IncidentStatus.Triggered) with { AckDueAt = null }, T0.AddDays(5)));
    }
}
