using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Incidents;
using Vigil.Server.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Lifecycle;

/// <summary>
/// The incident lifecycle end to end through the store: signals applied with
/// <see cref="IncidentWriter"/>, timers swept with <see cref="IncidentTimers"/>, time moved only
/// with <see cref="FakeTimeProvider.Advance"/>.
/// </summary>
public sealed class IncidentLifecycleTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static string WithIncidents(string incidents) => LifecycleHarness.SevConfig + "\nincidents:\n" + incidents + "\n";

    private static Signal Alert(LifecycleHarness h, string key, string severity = "SEV3", SignalStatus status = SignalStatus.Firing,
        SignalSource source = SignalSource.Alertmanager, string? service = null, IReadOnlyDictionary<string, string>? labels = null, DateTimeOffset? expiresAt = null) =>
        new(source, key, status, $"{key} {(status == SignalStatus.Firing ? "firing" : "resolved")}", severity, service,
            labels ?? new Dictionary<string, string>(), h.Now, expiresAt);

    /// <summary>A resolved signal; like Alertmanager, it carries the same labels as the firing one.</summary>
    private static Signal Resolve(LifecycleHarness h, string key, SignalSource source = SignalSource.Alertmanager, IReadOnlyDictionary<string, string>? labels = null) =>
        Alert(h, key, status: SignalStatus.Resolved, source: source, labels: labels);

    private static Dictionary<string, string> Group(string alertname) => new() { ["service"] = "api", ["alertname"] = alertname };

    // ---- reopen window ----------------------------------------------------------------------------

    [Fact]
    public async Task ReopenWindow_FiresAgainTenMinutesAfterAutoResolve_SameIncidentReopened()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  reopen_within: 30m"));
        var opened = await h.ApplyAsync(Alert(h, "fp-1"));
        Assert.Equal(RouteDecision.Open, opened.Decision);
        var id = opened.IncidentId!.Value;

        h.Time.Advance(5 * Minute);
        await h.ApplyAsync(Resolve(h, "fp-1"));
        var resolved = await h.IncidentAsync(id);
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(h.Now, resolved.ResolvedAt);

        h.Time.Advance(10 * Minute);
        var again = await h.ApplyAsync(Alert(h, "fp-1"));

        Assert.Equal(RouteDecision.Reopen, again.Decision);
        Assert.Equal(id, again.IncidentId);
        Assert.True(again.Changed);
        var reopened = await h.IncidentAsync(id);
        Assert.Equal(IncidentStatus.Triggered, reopened.Status);
        Assert.Equal(1, reopened.Reopened);
        Assert.Null(reopened.ResolvedAt);
        Assert.Equal(LifecycleHarness.Start, reopened.OpenedAt);
        // A fresh ack target from the reopen (SEV3: 2h).
        Assert.Equal(h.Now + TimeSpan.FromHours(2), reopened.AckDueAt);
        Assert.Single(await h.IncidentsAsync());
        var signal = Assert.Single(await h.SignalsAsync(id));
        Assert.Equal(SignalStatus.Firing, signal.Status);
        Assert.Equal(2, signal.FireCount);
        Assert.Equal(LifecycleHarness.Start, signal.FirstAt);

        var timeline = await h.TimelineAsync(id);
        Assert.Equal([TimelineKinds.Opened, TimelineKinds.Signal, TimelineKinds.Signal, TimelineKinds.Resolved, TimelineKinds.Reopened, TimelineKinds.Signal],
            timeline.Select(t => t.Kind));
        var reopenEntry = timeline.Single(t => t.Kind == TimelineKinds.Reopened);
        Assert.Equal(h.Now, reopenEntry.At);
        Assert.Equal("Reopened: fp-1 fired again 10m after the incident resolved", reopenEntry.Text);
        Assert.Contains(await h.AuditAsync(), a => a.Action == "incident.reopen" && a.Target == $"incident/{id}");
    }

    [Fact]
    public async Task ReopenWindow_FiresAgainAfterTheWindow_NewIncident()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  reopen_within: 30m"));
        var first = (await h.ApplyAsync(Alert(h, "fp-1"))).IncidentId!.Value;
        h.Time.Advance(5 * Minute);
        await h.ApplyAsync(Resolve(h, "fp-1"));

        h.Time.Advance(30 * Minute + TimeSpan.FromSeconds(1));
        var again = await h.ApplyAsync(Alert(h, "fp-1"));

        Assert.Equal(RouteDecision.Open, again.Decision);
        Assert.NotEqual(first, again.IncidentId);
        var old = await h.IncidentAsync(first);
        Assert.Equal(IncidentStatus.Resolved, old.Status);
        Assert.Equal(0, old.Reopened);
        var fresh = await h.IncidentAsync(again.IncidentId!.Value);
        Assert.Equal(IncidentStatus.Triggered, fresh.Status);
        Assert.Equal(0, fresh.Reopened);
        Assert.Equal(h.Now, fresh.OpenedAt);
        Assert.Equal(1, Assert.Single(await h.SignalsAsync(fresh.Id)).FireCount);
        Assert.Equal(2, (await h.IncidentsAsync()).Count);
    }

    [Fact]
    public async Task ReopenWindow_ZeroSeconds_AlwaysANewIncident()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  reopen_within: 0s"));
        var first = (await h.ApplyAsync(Alert(h, "fp-1"))).IncidentId;
        await h.ApplyAsync(Resolve(h, "fp-1"));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await h.ApplyAsync(Alert(h, "fp-1"));

        Assert.Equal(RouteDecision.Open, again.Decision);
        Assert.NotEqual(first, again.IncidentId);
    }

    [Fact]
    public async Task ResolvedSignal_NobodySawFiring_IsIgnoredAndWritesNothing()
    {
        await using var h = await LifecycleHarness.StartAsync();

        var outcome = await h.ApplyAsync(Resolve(h, "fp-never"));

        Assert.Equal(new SignalOutcome(null, RouteDecision.Ignore, false), outcome);
        Assert.Empty(await h.IncidentsAsync());
        Assert.Empty(await h.AuditAsync());
    }

    [Fact]
    public async Task RepeatedFiring_OnlyRefreshesTheSignal()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1"))).IncidentId!.Value;
        var before = (await h.TimelineAsync(id)).Count;

        h.Time.Advance(Minute);
        var repeat = await h.ApplyAsync(Alert(h, "fp-1"));

        Assert.Equal(new SignalOutcome(id, RouteDecision.Attach, false), repeat);
        Assert.Equal(before, (await h.TimelineAsync(id)).Count);
        var signal = Assert.Single(await h.SignalsAsync(id));
        Assert.Equal(1, signal.FireCount);
        Assert.Equal(LifecycleHarness.Start, signal.FirstAt);
        Assert.Equal(h.Now, signal.LastAt);
    }

    // ---- auto-resolve -----------------------------------------------------------------------------

    [Fact]
    public async Task AutoResolve_OnlyOnceEveryAttachedSignalHasResolved()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [service, alertname]"));
        var a = await h.ApplyAsync(Alert(h, "fp-a", labels: Group("HighLatency")));
        h.Time.Advance(Minute);
        var b = await h.ApplyAsync(Alert(h, "fp-b", labels: Group("HighLatency")));
        Assert.Equal(RouteDecision.Attach, b.Decision);
        Assert.Equal(a.IncidentId, b.IncidentId);
        var id = a.IncidentId!.Value;
        Assert.Equal("group:service=api,alertname=HighLatency", (await h.IncidentAsync(id)).GroupKey);

        h.Time.Advance(Minute);
        await h.ApplyAsync(Resolve(h, "fp-a", labels: Group("HighLatency")));
        Assert.Equal(IncidentStatus.Triggered, (await h.IncidentAsync(id)).Status);

        h.Time.Advance(Minute);
        await h.ApplyAsync(Resolve(h, "fp-b", labels: Group("HighLatency")));
        var resolved = await h.IncidentAsync(id);
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(h.Now, resolved.ResolvedAt);

        var entry = Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.Resolved);
        Assert.Equal(IncidentWriter.SystemActor, entry.Actor);
        Assert.Equal("Auto-resolved: every attached signal has resolved", entry.Text);
        Assert.Equal(h.Now, entry.At);
        Assert.All(await h.SignalsAsync(id), s => Assert.Equal(SignalStatus.Resolved, s.Status));
    }

    [Fact]
    public async Task AutoResolve_OffForTheSource_IncidentStaysOpen_OtherSourcesStillResolve()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  auto_resolve: { alertmanager: false }"));
        var alert = (await h.ApplyAsync(Alert(h, "fp-1"))).IncidentId!.Value;
        var evt = (await h.ApplyAsync(Alert(h, "evt-1", source: SignalSource.Events))).IncidentId!.Value;
        Assert.False((await h.IncidentAsync(alert)).AutoResolve);
        Assert.True((await h.IncidentAsync(evt)).AutoResolve);

        h.Time.Advance(Minute);
        var outcome = await h.ApplyAsync(Resolve(h, "fp-1"));
        await h.ApplyAsync(Resolve(h, "evt-1", SignalSource.Events));

        Assert.True(outcome.Changed);
        var stillOpen = await h.IncidentAsync(alert);
        Assert.Equal(IncidentStatus.Triggered, stillOpen.Status);
        Assert.Null(stillOpen.ResolvedAt);
        Assert.Equal(SignalStatus.Resolved, Assert.Single(await h.SignalsAsync(alert)).Status);
        Assert.DoesNotContain(await h.TimelineAsync(alert), t => t.Kind == TimelineKinds.Resolved);
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(evt)).Status);
    }

    [Fact]
    public async Task AutoResolve_ResolvedSignalAfterAManualResolve_OnlyUpdatesTheSignal()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1"))).IncidentId!.Value;
        h.Time.Advance(Minute);
        var (_, refusal) = await h.TransitionAsync(id, LifecycleAction.Resolve, reason: "fixed by hand");
        Assert.Null(refusal);
        var resolvedAt = h.Now;

        h.Time.Advance(Minute);
        var outcome = await h.ApplyAsync(Resolve(h, "fp-1"));

        Assert.Equal(RouteDecision.UpdateOnly, outcome.Decision);
        Assert.True(outcome.Changed);
        Assert.Equal(resolvedAt, (await h.IncidentAsync(id)).ResolvedAt);
        Assert.Equal(SignalStatus.Resolved, Assert.Single(await h.SignalsAsync(id)).Status);
        Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.Resolved);
    }

    [Fact]
    public async Task GroupBy_EventsApiResolveWithoutPayload_ResolvesTheSignalWhereItIsAttached()
    {
        // PagerDuty-style resolve events carry only the dedup key: no payload, so no labels to group by.
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [component]"));
        var errors = new IntakeParsing.Errors();
        var trigger = IntakeParsing.FromEvent(new EventRequest(null, "trigger", "job-42",
            new EventPayload("nightly export failed", "cron@host1", "error", "api", null, null, null, null), null, null), h.Policy, "intake:events", h.Now, errors, out _)!;
        Assert.Empty(errors);
        var opened = await h.ApplyAsync(trigger.Signal!, trigger.Actor);
        var id = opened.IncidentId!.Value;
        Assert.Equal("group:component=api", (await h.IncidentAsync(id)).GroupKey);

        h.Time.Advance(Minute);
        var resolve = IntakeParsing.FromEvent(new EventRequest(null, "resolve", "job-42", null, null, null), h.Policy, "intake:events", h.Now, errors, out _)!;
        Assert.Empty(errors);
        Assert.Empty(resolve.Signal!.Labels);
        var outcome = await h.ApplyAsync(resolve.Signal!, resolve.Actor);

        Assert.Equal(id, outcome.IncidentId);
        Assert.True(outcome.Changed);
        Assert.Equal(SignalStatus.Resolved, Assert.Single(await h.SignalsAsync(id)).Status);
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(id)).Status);
    }

    [Fact]
    public async Task GroupBy_ResolveOfASignalOnAnOlderIncident_UpdatesThatIncidentNotTheNewerOneOfTheGroup()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  reopen_within: 0s\n  group_by: [service, alertname]"));
        var first = (await h.ApplyAsync(Alert(h, "fp-a", labels: Group("X")))).IncidentId!.Value;
        h.Time.Advance(Minute);
        await h.TransitionAsync(first, LifecycleAction.Resolve); // by hand, while fp-a still fires
        h.Time.Advance(Minute);
        var second = (await h.ApplyAsync(Alert(h, "fp-b", labels: Group("X")))).IncidentId!.Value;
        Assert.NotEqual(first, second);

        h.Time.Advance(Minute);
        var outcome = await h.ApplyAsync(Resolve(h, "fp-a", labels: Group("X")));

        Assert.Equal(new SignalOutcome(first, RouteDecision.UpdateOnly, true), outcome);
        Assert.Equal(SignalStatus.Resolved, Assert.Single(await h.SignalsAsync(first)).Status);
        Assert.Equal(IncidentStatus.Triggered, (await h.IncidentAsync(second)).Status);
        Assert.Equal("fp-b", Assert.Single(await h.SignalsAsync(second)).DedupKey);
    }

    // ---- severity ---------------------------------------------------------------------------------

    [Fact]
    public async Task Severity_RaisedWhenAMoreSevereSignalAttaches_NeverLowered()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [service, alertname]"));
        var id = (await h.ApplyAsync(Alert(h, "fp-warn", "SEV3", labels: Group("Errors")))).IncidentId!.Value;
        Assert.Equal(LifecycleHarness.Start + TimeSpan.FromHours(2), (await h.IncidentAsync(id)).AckDueAt);

        h.Time.Advance(Minute);
        await h.ApplyAsync(Alert(h, "fp-crit", "SEV2", labels: Group("Errors")));

        var raised = await h.IncidentAsync(id);
        Assert.Equal("SEV2", raised.Severity);
        // Still unacknowledged: the SEV2 target (30m) counts from when the incident opened.
        Assert.Equal(LifecycleHarness.Start + TimeSpan.FromMinutes(30), raised.AckDueAt);
        var entry = Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.Severity);
        Assert.Equal("Severity raised SEV3 → SEV2 by fp-crit", entry.Text);
        Assert.Contains(await h.AuditAsync(), a => a.Action == "incident.severity" && a.After!.Contains("\"SEV2\"", StringComparison.Ordinal));

        h.Time.Advance(Minute);
        await h.ApplyAsync(Alert(h, "fp-info", "SEV4", labels: Group("Errors")));
        Assert.Equal("SEV2", (await h.IncidentAsync(id)).Severity);
        Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.Severity);
    }

    [Fact]
    public async Task Severity_RaisedAfterAcknowledge_KeepsTheAckAsItWas()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [service, alertname]"));
        var id = (await h.ApplyAsync(Alert(h, "fp-warn", "SEV3", labels: Group("Errors")))).IncidentId!.Value;
        h.Time.Advance(Minute);
        await h.TransitionAsync(id, LifecycleAction.Acknowledge);
        var acked = await h.IncidentAsync(id);

        h.Time.Advance(Minute);
        await h.ApplyAsync(Alert(h, "fp-crit", "SEV1", labels: Group("Errors")));

        var raised = await h.IncidentAsync(id);
        Assert.Equal("SEV1", raised.Severity);
        Assert.Equal(IncidentStatus.Acknowledged, raised.Status);
        Assert.Equal(acked.AckDueAt, raised.AckDueAt);
        Assert.Equal(0, await h.SweepAsync());
        Assert.Null((await h.IncidentAsync(id)).AckBreachedAt);
    }

    [Fact]
    public async Task Severity_ReopenedByAMoreSevereSignal_AckTargetCountsFromTheReopen()
    {
        // A SEV3 incident resolves; 10 minutes later a SEV1 alert of the same group reopens and raises it.
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [service, alertname]"));
        var id = (await h.ApplyAsync(Alert(h, "fp-warn", "SEV3", labels: Group("Errors")))).IncidentId!.Value;
        h.Time.Advance(20 * Minute);
        await h.ApplyAsync(Resolve(h, "fp-warn", labels: Group("Errors")));
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(id)).Status);
        h.Time.Advance(10 * Minute);
        var reopenedAt = h.Now;

        var outcome = await h.ApplyAsync(Alert(h, "fp-crit", "SEV1", labels: Group("Errors")));

        Assert.Equal(RouteDecision.Reopen, outcome.Decision);
        var raised = await h.IncidentAsync(id);
        Assert.Equal("SEV1", raised.Severity);
        Assert.Equal(IncidentStatus.Triggered, raised.Status);
        // The SEV1 target is 5m from the reopen, not 5m from the first opening half an hour ago.
        Assert.Equal(reopenedAt + TimeSpan.FromMinutes(5), raised.AckDueAt);
        Assert.Equal(0, await h.SweepAsync());
        Assert.DoesNotContain(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);

        h.Time.Advance(5 * Minute);
        Assert.Equal(1, await h.SweepAsync());
        var breach = Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
        Assert.Equal(reopenedAt + TimeSpan.FromMinutes(5), breach.At);
    }

    // ---- inhibition -------------------------------------------------------------------------------

    [Fact]
    public async Task Inhibition_SignalOfAServiceWhoseDependencyHasAnOpenIncident_IsRecordedAsInhibited()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var db = (await h.ApplyAsync(Alert(h, "db-down", "SEV1", service: "db"))).IncidentId!.Value;

        h.Time.Advance(Minute);
        var web = (await h.ApplyAsync(Alert(h, "web-5xx", "SEV2", service: "web"))).IncidentId!.Value;

        var signal = Assert.Single(await h.SignalsAsync(web));
        Assert.Equal($"dependency db has open incident #{db} (db-down firing)", signal.InhibitedReason);
        var entry = Assert.Single(await h.TimelineAsync(web), t => t.Kind == TimelineKinds.Inhibited);
        Assert.Contains("It is recorded but does not page", entry.Text);
        Assert.DoesNotContain(await h.TimelineAsync(web), t => t.Kind == TimelineKinds.Signal);
    }

    // ---- ack-target breach ------------------------------------------------------------------------

    [Fact]
    public async Task AckBreach_RecordedOnTheTimelineAtTheDueTime_Once()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV2"))).IncidentId!.Value;
        var due = LifecycleHarness.Start + TimeSpan.FromMinutes(30);
        Assert.Equal(due, await h.NextDueAsync());

        h.Time.Advance(29 * Minute);
        Assert.Equal(0, await h.SweepAsync());
        Assert.Null((await h.IncidentAsync(id)).AckBreachedAt);

        // The sweep runs late (16 minutes after the target passed); the breach is dated at the target.
        h.Time.Advance(17 * Minute);
        Assert.Equal(1, await h.SweepAsync());

        var incident = await h.IncidentAsync(id);
        Assert.Equal(due, incident.AckBreachedAt);
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        var breach = Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
        Assert.Equal(due, breach.At);
        Assert.Equal(IncidentWriter.SystemActor, breach.Actor);
        Assert.Equal("Not acknowledged within the SEV2 target of 30m", breach.Text);
        Assert.Null(await h.NextDueAsync());

        h.Time.Advance(Minute);
        Assert.Equal(0, await h.SweepAsync());
        Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
        Assert.Single(await h.AuditAsync(), a => a.Action == "incident.ack_breach");
    }

    [Fact]
    public async Task AckBreach_AcknowledgedInTime_NeverRecorded()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV1"))).IncidentId!.Value;

        h.Time.Advance(4 * Minute);
        Assert.Null((await h.TransitionAsync(id, LifecycleAction.Acknowledge)).Refusal);
        h.Time.Advance(TimeSpan.FromHours(3));

        Assert.Equal(0, await h.SweepAsync());
        Assert.Null((await h.IncidentAsync(id)).AckBreachedAt);
        Assert.DoesNotContain(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
    }

    [Fact]
    public async Task AckBreach_AcrossARestart_RecordedOnceAtTheDueTime()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(LifecycleHarness.Start);
        long id;
        await using (var before = await LifecycleHarness.StartAsync(dir: dir, time: time))
        {
            id = (await before.ApplyAsync(Alert(before, "fp-1", "SEV1"))).IncidentId!.Value;
            time.Advance(2 * Minute);
            Assert.Equal(0, await before.SweepAsync());
        }

        // Vigil is down while the SEV1 target (5m) passes.
        time.Advance(TimeSpan.FromHours(1));

        await using var after = await LifecycleHarness.StartAsync(dir: dir, time: time);
        Assert.Equal(LifecycleHarness.Start + TimeSpan.FromMinutes(5), await after.NextDueAsync());
        Assert.Equal(1, await after.SweepAsync());

        var breach = Assert.Single(await after.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
        Assert.Equal(LifecycleHarness.Start + TimeSpan.FromMinutes(5), breach.At);
        Assert.Equal(LifecycleHarness.Start + TimeSpan.FromMinutes(5), (await after.IncidentAsync(id)).AckBreachedAt);

        Assert.Equal(0, await after.SweepAsync());
        Assert.Single(await after.TimelineAsync(id), t => t.Kind == TimelineKinds.AckBreach);
        Assert.Null(await after.NextDueAsync());
    }

    // ---- close and the PIR ------------------------------------------------------------------------

    [Fact]
    public async Task Close_RequirePirLevel_RefusedUntilThePirIsRecorded()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  auto_resolve: { alertmanager: false }"));
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV1"))).IncidentId!.Value;
        h.Time.Advance(2 * Minute);
        Assert.Equal(IncidentStatus.Acknowledged, (await h.TransitionAsync(id, LifecycleAction.Acknowledge)).Incident!.Status);
        h.Time.Advance(10 * Minute);
        Assert.Equal(IncidentStatus.Resolved, (await h.TransitionAsync(id, LifecycleAction.Resolve)).Incident!.Status);
        var timelineBefore = await h.TimelineAsync(id);
        var auditBefore = (await h.AuditAsync()).Count;

        h.Time.Advance(Minute);
        var (closed, refusal) = await h.TransitionAsync(id, LifecycleAction.Close);

        Assert.Null(closed);
        Assert.Equal($"Severity SEV1 requires a post-incident review before close: write it with 'vigil incident pir {id} --file pir-{id}.md', then close.", refusal);
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(id)).Status);
        Assert.Equal(timelineBefore, await h.TimelineAsync(id));
        Assert.Equal(auditBefore, (await h.AuditAsync()).Count);

        h.Time.Advance(TimeSpan.FromHours(20));
        var reviewed = await h.RecordPirAsync(id);
        Assert.Equal(h.Now, reviewed.PirAt);

        h.Time.Advance(Minute);
        (closed, refusal) = await h.TransitionAsync(id, LifecycleAction.Close, reason: "reviewed");

        Assert.Null(refusal);
        Assert.Equal(IncidentStatus.Closed, closed!.Status);
        var stored = await h.IncidentAsync(id);
        Assert.Equal(IncidentStatus.Closed, stored.Status);
        Assert.Equal(h.Now, stored.ClosedAt);
        Assert.Equal(reviewed.PirAt, stored.PirAt);
        Assert.Equal(
            [TimelineKinds.Opened, TimelineKinds.Signal, TimelineKinds.Acknowledged, TimelineKinds.Resolved, TimelineKinds.Pir, TimelineKinds.Closed],
            (await h.TimelineAsync(id)).Select(t => t.Kind));
        Assert.Contains(await h.AuditAsync(), a => a.Action == "incident.close" && a.Actor == "alice" && a.Reason == "reviewed");
    }

    [Fact]
    public async Task Close_LevelWithoutRequirePir_ClosesWithoutAPir()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV2"))).IncidentId!.Value;
        h.Time.Advance(Minute);
        await h.ApplyAsync(Resolve(h, "fp-1"));

        var (closed, refusal) = await h.TransitionAsync(id, LifecycleAction.Close);

        Assert.Null(refusal);
        Assert.Equal(IncidentStatus.Closed, closed!.Status);
        Assert.Null(closed.PirAt);
    }

    [Fact]
    public async Task Transition_NotAllowedNow_RefusedWithTheReasonAndNothingWritten()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV2"))).IncidentId!.Value;
        var timeline = await h.TimelineAsync(id);

        var (closed, refusal) = await h.TransitionAsync(id, LifecycleAction.Close);

        Assert.Null(closed);
        Assert.Equal($"Incident #{id} is triggered; resolve it before closing it ('vigil incident resolve {id}').", refusal);
        Assert.Equal(timeline, await h.TimelineAsync(id));
    }

    // ---- expiry of alerts no longer re-sent (/api/v2/alerts) ---------------------------------------

    [Fact]
    public async Task Expiry_AlertNotReSent_ResolvesAtItsExpiryAndAutoResolvesTheIncident()
    {
        await using var h = await LifecycleHarness.StartAsync(LifecycleHarness.SevConfig + "\nintegrations:\n  alertmanager:\n    resolve_timeout: 5m\n");
        var alert = new AlertmanagerAlert(null, new Dictionary<string, string> { ["alertname"] = "DiskFull", ["service"] = "db", ["severity"] = "critical" },
            new Dictionary<string, string> { ["summary"] = "db disk 97% full" }, null, null, null, null);
        var errors = new IntakeParsing.Errors();
        var command = Assert.Single(IntakeParsing.FromApiV2([alert], h.Policy, "intake:prometheus", h.Now, errors));
        Assert.Empty(errors);
        var signal = command.Signal!;
        Assert.Equal(h.Now + TimeSpan.FromMinutes(5), signal.ExpiresAt);
        Assert.Equal("SEV1", signal.Severity);
        Assert.Equal("db", signal.Service);

        var id = (await h.ApplyAsync(signal, command.Actor)).IncidentId!.Value;
        var expiry = LifecycleHarness.Start + TimeSpan.FromMinutes(5);
        Assert.Equal(expiry, await h.NextDueAsync());
        await h.TransitionAsync(id, LifecycleAction.Acknowledge); // so only the expiry timer is pending

        h.Time.Advance(4 * Minute);
        Assert.Equal(0, await h.SweepAsync());
        Assert.Equal(SignalStatus.Firing, Assert.Single(await h.SignalsAsync(id)).Status);

        h.Time.Advance(2 * Minute);
        Assert.Equal(1, await h.SweepAsync());

        var resolvedSignal = Assert.Single(await h.SignalsAsync(id));
        Assert.Equal(SignalStatus.Resolved, resolvedSignal.Status);
        Assert.Equal(expiry, resolvedSignal.ResolvedAt);
        Assert.Null(resolvedSignal.ExpiresAt);
        var incident = await h.IncidentAsync(id);
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(expiry, incident.ResolvedAt); // when the alert expired, not when the sweep ran
        var entry = Assert.Single(await h.TimelineAsync(id), t => t.Kind == TimelineKinds.Signal && t.Text.Contains("resolved", StringComparison.Ordinal));
        Assert.Equal(expiry, entry.At);
        Assert.Contains("not re-sent before it expired at 10:05:00 UTC", entry.Text);
        Assert.Null(await h.NextDueAsync());
        Assert.Equal(0, await h.SweepAsync());
    }

    [Fact]
    public async Task Expiry_AlertReSentBeforeItExpires_IsRefreshedNotResolved()
    {
        await using var h = await LifecycleHarness.StartAsync();
        var id = (await h.ApplyAsync(Alert(h, "fp-1", "SEV2", expiresAt: LifecycleHarness.Start + 5 * Minute))).IncidentId!.Value;
        await h.TransitionAsync(id, LifecycleAction.Acknowledge);

        h.Time.Advance(4 * Minute);
        await h.ApplyAsync(Alert(h, "fp-1", "SEV2", expiresAt: h.Now + 5 * Minute));
        h.Time.Advance(2 * Minute);

        Assert.Equal(0, await h.SweepAsync());
        Assert.Equal(IncidentStatus.Acknowledged, (await h.IncidentAsync(id)).Status);
        Assert.Equal(LifecycleHarness.Start + 9 * Minute, await h.NextDueAsync());

        h.Time.Advance(3 * Minute);
        Assert.Equal(1, await h.SweepAsync());
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(id)).Status);
    }

    [Fact]
    public async Task Expiry_OneOfTwoSignalsExpires_IncidentStaysOpenWhileTheOtherFires()
    {
        await using var h = await LifecycleHarness.StartAsync(WithIncidents("  group_by: [service, alertname]"));
        var id = (await h.ApplyAsync(Alert(h, "fp-a", labels: Group("X"), expiresAt: LifecycleHarness.Start + 5 * Minute))).IncidentId!.Value;
        await h.ApplyAsync(Alert(h, "fp-b", labels: Group("X")));

        h.Time.Advance(10 * Minute);
        await h.SweepAsync();

        Assert.Equal(IncidentStatus.Triggered, (await h.IncidentAsync(id)).Status);
        Assert.Equal([SignalStatus.Resolved, SignalStatus.Firing], (await h.SignalsAsync(id)).OrderBy(s => s.DedupKey, StringComparer.Ordinal).Select(s => s.Status));
    }
}
