using Vigil.Core.Config;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.OnCall;
using Vigil.Core.Operations;
using Vigil.Core.Tests.Incidents;

namespace Vigil.Core.Tests.Escalation;

/// <summary>The escalation decisions on plain data and a fixed <c>now</c>: no store, no clock, no HTTP.</summary>
public sealed class EscalationRulesTests
{
    private static readonly DateTimeOffset T0 = IncidentFixtures.T0;

    private const string Yaml = """
        vigil: { name: escalation-rules }
        severities:
          - { id: P0, name: Critical, ack_within: 15m, page: true, notify: [tickets] }
          - { id: P1, name: High, ack_within: 1h, page: true }
          - { id: P3, name: Low, ack_within: 1d, page: false }
        services:
          - { id: api, depends_on: [db] }
          - { id: db }
        people:
          - { id: alice, name: Alice, notify_via: [hook] }
          - { id: bob, name: Bob, notify_via: [hook, slackish], availability: business-hours, timezone: UTC }
          - { id: carol, name: Carol }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
              - { after: 10m, notify: [person:bob] }
            repeat: 1
            repeat_every: 30m
        notifiers:
          - { id: hook, webhook: { url: "http://127.0.0.1:9/hook" }, retry: { attempts: 3, initial_backoff: 10s, max_backoff: 1m } }
          - { id: slackish, webhook: { url: "http://127.0.0.1:9/p0" }, severities: [P0] }
          - { id: tickets, webhook: { url: "http://127.0.0.1:9/tickets" }, send_resolved: false }
        """;

    private static readonly IncidentPolicy Policy = IncidentFixtures.Policy(Yaml);

    private static Incident Incident(string severity = "P1", string? service = "api", int reopened = 0) =>
        IncidentFixtures.Incident(IncidentStatus.Triggered, severity) with { Service = service, Reopened = reopened };

    private static IncidentSignal Signal(string key, string? service = "api", string? inhibited = null, IReadOnlyDictionary<string, string>? labels = null) =>
        new(7, key, SignalSource.Alertmanager, SignalStatus.Firing, key + " firing", "P1", service, labels ?? new Dictionary<string, string>(), T0, T0, null, null, 1, inhibited);

    private static Silence Silence(long id, string matcher, DateTimeOffset ends, DateTimeOffset? expired = null)
    {
        Assert.True(SilenceMatcher.TryParse(matcher, out var m, out var error), error);
        return new Silence(id, [m!], T0.AddHours(-1), ends, "known issue", "alice", T0.AddHours(-1), expired, expired is null ? null : "alice");
    }

    [Fact]
    public void NextHoldEnd_ActiveSilencesAndWindows_IsTheEarliestEnd()
    {
        var silences = new[] { Silence(1, "service=api", T0.AddMinutes(50)), Silence(2, "service=db", T0.AddMinutes(20)) };
        var windows = new[] { new ActiveWindow("#1", ["api"], T0.AddMinutes(-5), T0.AddMinutes(30), "db migration", false) };

        Assert.Equal(T0.AddMinutes(20), EscalationRules.NextHoldEnd(silences, windows, T0));
        Assert.Equal(T0.AddMinutes(30), EscalationRules.NextHoldEnd(silences, windows, T0.AddMinutes(20)));
        Assert.Equal(T0.AddMinutes(50), EscalationRules.NextHoldEnd(silences, windows, T0.AddMinutes(30)));
    }

    [Fact]
    public void NextHoldEnd_ExpiredEndedOrNotStarted_AreIgnored()
    {
        var silences = new[] { Silence(1, "service=api", T0.AddMinutes(50), expired: T0.AddMinutes(-1)), Silence(2, "service=api", T0) };
        var windows = new[] { new ActiveWindow("#1", ["api"], T0.AddMinutes(10), T0.AddMinutes(30), "later", false) };

        Assert.Null(EscalationRules.NextHoldEnd(silences, windows, T0));
        Assert.Null(EscalationRules.NextHoldEnd([], [], T0));
    }

    [Fact]
    public void HoldReason_NothingHolds_IsNull()
    {
        Assert.Null(EscalationRules.HoldReason(Incident(), [Signal("a")], null, [], [], T0));
    }

    [Fact]
    public void HoldReason_EveryFiringSignalInhibitedAndTheCauseStillOpen_Holds()
    {
        var cause = IncidentFixtures.Incident(IncidentStatus.Triggered) with { Id = 3, Service = "db", Title = "db down" };
        var firing = new[] { Signal("a", inhibited: "dependency db has open incident #3 (db down)") };

        Assert.Equal(["db"], EscalationRules.InhibitingDependencies(firing, Policy));
        Assert.Equal("inhibited: dependency db has open incident #3 (db down)", EscalationRules.HoldReason(Incident(), firing, cause, [], [], T0));
    }

    [Fact]
    public void HoldReason_OneFiringSignalNotInhibited_Pages()
    {
        var cause = IncidentFixtures.Incident(IncidentStatus.Triggered) with { Id = 3, Service = "db" };
        var firing = new[] { Signal("a", inhibited: "dependency db has open incident #3"), Signal("b") };

        Assert.Empty(EscalationRules.InhibitingDependencies(firing, Policy));
        Assert.Null(EscalationRules.HoldReason(Incident(), firing, cause, [], [], T0));
    }

    [Fact]
    public void HoldReason_InhibitedButTheCauseResolved_Pages()
    {
        var firing = new[] { Signal("a", inhibited: "dependency db has open incident #3") };
        var resolvedCause = IncidentFixtures.Incident(IncidentStatus.Resolved) with { Id = 3, Service = "db" };

        Assert.Null(EscalationRules.HoldReason(Incident(), firing, null, [], [], T0));
        Assert.Null(EscalationRules.HoldReason(Incident(), firing, resolvedCause, [], [], T0));
    }

    [Fact]
    public void HoldReason_EverySignalSilenced_HoldsUntilTheSilenceEnds_ByServiceLabelToo()
    {
        var silence = Silence(4, "service=api", T0.AddMinutes(90));

        Assert.Equal("silenced by #4 (known issue) until 11:30 UTC", EscalationRules.HoldReason(Incident(), [Signal("a"), Signal("b")], null, [silence], [], T0));
        Assert.Null(EscalationRules.HoldReason(Incident(), [Signal("a"), Signal("c", service: "db")], null, [silence], [], T0));
        Assert.Null(EscalationRules.HoldReason(Incident(), [Signal("a")], null, [silence], [], T0.AddMinutes(90)));
        Assert.Null(EscalationRules.HoldReason(Incident(), [Signal("a")], null, [Silence(4, "service=api", T0.AddMinutes(90), expired: T0.AddMinutes(-1))], [], T0));
    }

    [Fact]
    public void HoldReason_WindowCoversEveryService_Holds_PartialCoverPages()
    {
        var window = new ActiveWindow("#1", ["api"], T0, T0.AddMinutes(30), "db migration", false);
        var everything = new ActiveWindow("weekly", ["*"], T0, T0.AddHours(2), "patching", false);

        Assert.Equal("suppressed by window #1 (db migration) until 10:30 UTC", EscalationRules.HoldReason(Incident(), [Signal("a")], null, [], [window], T0));
        Assert.Null(EscalationRules.HoldReason(Incident(), [Signal("a"), Signal("c", service: "db")], null, [], [window], T0));
        Assert.Equal("suppressed by window weekly (patching) until 12:00 UTC",
            EscalationRules.HoldReason(Incident(), [Signal("a"), Signal("c", service: "db")], null, [], [everything], T0));
    }

    [Fact]
    public void Evaluate_PagingSeverity_StartsThePolicyWithEveryPassPlanned_AndTellsTheSeverityTicketsOnce()
    {
        var e = EscalationRules.Evaluate(Incident("P0"), null, Policy, null, T0);

        Assert.False(e.Replan);
        Assert.Equal(["tickets"], e.TicketNotifiers);
        Assert.Equal(new EscalationRecord(7, 0, "P0", "default", EscalationStatus.Running, null, T0, T0, false), e.Next);
        Assert.Equal(
            [new(0, 0, T0), new(1, 0, T0.AddMinutes(10)), new(0, 1, T0.AddMinutes(30)), new(1, 1, T0.AddMinutes(40))],
            e.Steps);
    }

    [Fact]
    public void Evaluate_NonPagingSeverity_DoesNotPage()
    {
        var e = EscalationRules.Evaluate(Incident("P3"), null, Policy, null, T0);

        Assert.Equal(EscalationStatus.None, e.Next!.Status);
        Assert.Equal("severity P3 does not page", e.Next.Reason);
        Assert.Empty(e.Steps);
    }

    [Fact]
    public void Evaluate_Held_RecordsTheHoldOnce_ThenStartsNamingIt()
    {
        var held = EscalationRules.Evaluate(Incident(), null, Policy, "silenced by #4", T0);
        Assert.Equal(EscalationStatus.Held, held.Next!.Status);
        Assert.Empty(held.Steps);

        var again = EscalationRules.Evaluate(Incident(), held.Next, Policy, "silenced by #4", T0.AddMinutes(1));
        Assert.Null(again.Next);
        Assert.Empty(again.TicketNotifiers);

        var released = EscalationRules.Evaluate(Incident(), held.Next, Policy, null, T0.AddMinutes(2));
        Assert.Equal(EscalationStatus.Running, released.Next!.Status);
        Assert.Equal("no longer held (silenced by #4)", released.Next.Reason);
        Assert.Equal(held.Next, released.Before);
        Assert.Equal(T0.AddMinutes(2), released.Steps[0].DueAt);
    }

    [Fact]
    public void Evaluate_ReopenedSinceItsEscalation_Replans()
    {
        var before = new EscalationRecord(7, 0, "P1", "default", EscalationStatus.Stopped, "resolved", T0, T0, true);

        var e = EscalationRules.Evaluate(Incident(reopened: 1), before, Policy, null, T0.AddHours(1));

        Assert.True(e.Replan);
        Assert.Null(e.Before);
        Assert.Equal(1, e.Next!.Generation);
        Assert.Equal(EscalationStatus.Running, e.Next.Status);
    }

    [Fact]
    public void Evaluate_NoPolicyApplies_SaysHowToFixIt()
    {
        var policy = IncidentFixtures.Policy(Yaml.Replace("  - id: default\n", "  - id: other\n", StringComparison.Ordinal));

        var e = EscalationRules.Evaluate(Incident(), null, policy, null, T0);

        Assert.Equal(EscalationStatus.None, e.Next!.Status);
        Assert.StartsWith("no escalation policy applies (set `escalation_policy`", e.Next.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IsSuperseded_OnlyAnEarlierPassOfTheSameStepOfTheSameIncident()
    {
        EscalationStepRecord Step(long incident, int step, int repeat) => new(incident, step, repeat, T0, EscalationStepState.Pending);
        var due = new[] { Step(7, 0, 0), Step(7, 1, 0), Step(7, 0, 1), Step(8, 0, 0) };

        Assert.Equal([true, false, false, false], due.Select(s => EscalationRules.IsSuperseded(s, due)));
    }

    [Fact]
    public void Deliveries_Schedule_PagesWhoeverIsOnCall_AnOverrideWins()
    {
        var config = Policy.Config;
        var target = new NotifyTarget(NotifyTargetKind.Schedule, "primary");

        Assert.Equal([new PageDelivery("schedule:primary", "hook", config.FindPerson("alice"), null)],
            EscalationRules.Deliveries(config, target, Incident(), [], T0));
        Assert.Equal([new PageDelivery("schedule:primary", "hook", config.FindPerson("bob"), null)],
            EscalationRules.Deliveries(config, target, Incident(), [new OnCallOverride(1, "primary", "bob", T0.AddHours(-1), T0.AddHours(1), null, "alice")], T0));
    }

    [Fact]
    public void Deliveries_Person_OnlyNotifiersThatTakeTheSeverity_AndOnlyWhenAvailable()
    {
        var config = Policy.Config;
        var bob = new NotifyTarget(NotifyTargetKind.Person, "bob");
        var monday = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var sunday = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(["hook"], EscalationRules.Deliveries(config, bob, Incident("P1"), [], monday).Select(d => d.NotifierId));
        Assert.Equal(["hook", "slackish"], EscalationRules.Deliveries(config, bob, Incident("P0"), [], monday).Select(d => d.NotifierId));
        var skipped = Assert.Single(EscalationRules.Deliveries(config, bob, Incident("P1"), [], sunday));
        Assert.Null(skipped.NotifierId);
        Assert.Equal("skipped Bob (businesshours, not available now)", skipped.Note);
    }

    [Fact]
    public void Deliveries_NobodyReachable_OrGone_SaysWhy()
    {
        var config = Policy.Config;

        Assert.Equal("no notifier can reach Carol (set `notify_via`, an e-mail or a Slack handle)",
            Assert.Single(EscalationRules.Deliveries(config, new NotifyTarget(NotifyTargetKind.Person, "carol"), Incident(), [], T0)).Note);
        Assert.Equal("person dave is no longer configured",
            Assert.Single(EscalationRules.Deliveries(config, new NotifyTarget(NotifyTargetKind.Person, "dave"), Incident(), [], T0)).Note);
        Assert.Equal("schedule gone is no longer configured",
            Assert.Single(EscalationRules.Deliveries(config, new NotifyTarget(NotifyTargetKind.Schedule, "gone"), Incident(), [], T0)).Note);
        Assert.Empty(EscalationRules.Deliveries(config, new NotifyTarget(NotifyTargetKind.Notifier, "slackish"), Incident("P1"), [], T0));
    }

    [Fact]
    public void NotificationKey_DiffersPerGenerationKindStepPassTargetNotifierAndPerson()
    {
        var key = EscalationRules.NotificationKey(Incident(), NotificationKind.Trigger, 1, 0, "person:bob", "hook", "bob");

        Assert.Equal("7|g0|trigger|1|0|person:bob|hook|bob", key);
        Assert.NotEqual(key, EscalationRules.NotificationKey(Incident(reopened: 1), NotificationKind.Trigger, 1, 0, "person:bob", "hook", "bob"));
        Assert.Equal("7|g0|ticket|-1|0|notifier:tickets|tickets|-", EscalationRules.NotificationKey(Incident(), NotificationKind.Ticket, -1, 0, "notifier:tickets", "tickets", null));
    }

    [Fact]
    public void ResolveNotices_OnePerPagedTargetAndNotifier_WhereTheNotifierSendsThem()
    {
        NotificationRecord Sent(long id, NotificationKind kind, string target, string notifier, int step = 0) =>
            new(id, "k" + id, 7, kind, step, 0, target, notifier, null, NotificationState.Delivered, 1, null, T0, T0, null);
        var sent = new[]
        {
            Sent(1, NotificationKind.Trigger, "schedule:primary", "hook"),
            Sent(2, NotificationKind.Trigger, "schedule:primary", "hook", step: 1),
            Sent(3, NotificationKind.Trigger, "person:bob", "hook"),
            Sent(4, NotificationKind.Ticket, "notifier:tickets", "tickets"),
            Sent(5, NotificationKind.Trigger, "notifier:tickets", "tickets"),
            Sent(6, NotificationKind.Trigger, "notifier:gone", "gone"),
        };

        Assert.Equal([1L, 3L], EscalationRules.ResolveNotices(Policy.Config, sent).Select(n => n.Id));
    }

    [Theory]
    [InlineData(1, 0.5, 5)]      // cap 10 s
    [InlineData(2, 0.5, 10)]     // cap 20 s
    [InlineData(3, 0.25, 10)]    // cap 40 s
    [InlineData(4, 0.5, 30)]     // cap 80 s, clamped to the 60 s maximum
    [InlineData(4, 0.999, 59.94)]
    [InlineData(1, 0.0, 1)]      // never below one second
    public void Backoff_FullJitter_ExactDelayForTheDrawnUnit(int attempt, double unit, double seconds)
    {
        var retry = new RetryConfig { Attempts = 5, InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), EscalationPlanner.Backoff(retry, attempt, unit));
    }

    [Fact]
    public void AfterAttempt_Failure_RetriesAfterTheJitteredBackoff_ThenGivesUp_SuccessDelivers()
    {
        var retry = Policy.Config.FindNotifier("hook")!.Retry;
        var n = new NotificationRecord(1, "k", 7, NotificationKind.Trigger, 0, 0, "person:alice", "hook", "alice", NotificationState.Pending, 0, T0, T0, T0, null);
        var failed = DeliveryResult.Failed("HTTP 503", TimeSpan.FromMilliseconds(3), 503);

        var first = EscalationRules.AfterAttempt(n, failed, retry, 0.5, T0);
        Assert.Equal((1, NotificationState.Pending, T0.AddSeconds(5), "HTTP 503"), (first.Attempts, first.State, first.NextAttemptAt, first.LastError));

        var second = EscalationRules.AfterAttempt(first, failed, retry, 0.75, T0.AddSeconds(5));
        Assert.Equal((2, NotificationState.Pending, T0.AddSeconds(20)), (second.Attempts, second.State, second.NextAttemptAt));

        var third = EscalationRules.AfterAttempt(second, failed, retry, 0.5, T0.AddSeconds(20));
        Assert.Equal((3, NotificationState.Failed, (DateTimeOffset?)null), (third.Attempts, third.State, third.NextAttemptAt));

        var delivered = EscalationRules.AfterAttempt(first, new DeliveryResult(true, 200, null, TimeSpan.FromMilliseconds(2), null), retry, 0.5, T0.AddSeconds(5));
        Assert.Equal((2, NotificationState.Delivered, (DateTimeOffset?)null), (delivered.Attempts, delivered.State, delivered.NextAttemptAt));

        var gone = EscalationRules.AfterAttempt(n, DeliveryResult.Failed("notifier hook is no longer configured", TimeSpan.Zero), null, 0.5, T0);
        Assert.Equal(NotificationState.Failed, gone.State);
    }
}
