using Vigil.Core.Checks;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Server.Tests.Checks;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Lifecycle;

/// <summary>A check's state changes become incident signals in the same transaction as the change.</summary>
public sealed class CheckIncidentFlowTests
{
    private const string Key = "svc0/c0x0";

    /// <summary>
    /// The engine's change writer runs in the background as soon as a change is queued (no clock
    /// involved); read again after each of the store's commits until it shows, bounded in real time.
    /// </summary>
    private static Task<T> WaitForAsync<T>(EngineHarness h, Func<IStoreSession, CancellationToken, Task<T>> read, Func<T, bool> done, string what) =>
        Eventually.UntilAsync(() => h.Store.ReadAsync(read, CancellationToken.None), done, h.Store.NextCommitAsync, TimeSpan.FromSeconds(10), what);

    private static Task<Incident?> LatestAsync(IStoreSession s, CancellationToken ct) => s.Incidents.LatestInGroupAsync(Key, ct);

    [Fact]
    public async Task CheckGoesCritical_OpensAnIncident_GoesOk_AutoResolvesIt()
    {
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(1, 1, extra: ", fail_after: 2"));
        await h.RunForAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Ok, h.Registry.Snapshot().Single().Status.State);
        Assert.Null(await h.Store.ReadAsync(LatestAsync, CancellationToken.None));

        // One failure is not enough with fail_after: 2.
        h.Probe.Outcomes["c0x0"] = ProbeResult.Critical(FailureReason.Connect, TimeSpan.FromMilliseconds(3), "connection refused");
        await h.RunForAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Ok, h.Registry.Snapshot().Single().Status.State);
        Assert.Null(await h.Store.ReadAsync(LatestAsync, CancellationToken.None));

        await h.RunForAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Critical, h.Registry.Snapshot().Single().Status.State);

        var incident = (await WaitForAsync(h, LatestAsync, i => i is not null, "the incident to open"))!;
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Equal(Key, incident.GroupKey);
        Assert.Equal("svc0", incident.Service);
        Assert.Equal("P3", incident.Severity); // no severity on the check or service: the least severe level
        Assert.Equal("system:checks", incident.OpenedBy);
        Assert.True(incident.AutoResolve);
        Assert.Equal("svc0: check c0x0 is critical (connect)", incident.Title);

        var signal = Assert.Single(await h.Store.ReadAsync((s, c) => s.Incidents.ListSignalsAsync(incident.Id, c), CancellationToken.None));
        Assert.Equal(Key, signal.DedupKey);
        Assert.Equal(SignalSource.Check, signal.Source);
        Assert.Equal(SignalStatus.Firing, signal.Status);
        var timeline = await h.Store.ReadAsync((s, c) => s.Incidents.ListTimelineAsync(incident.Id, c), CancellationToken.None);
        Assert.Contains(timeline, t => t.Kind == TimelineKinds.Opened);
        var fired = Assert.Single(timeline, t => t.Kind == TimelineKinds.Signal);
        Assert.Equal($"check {Key} firing (P3): svc0 check c0x0 is critical (connect): connection refused", fired.Text);

        // The check recovers: its ok signal resolves the incident in the same transaction as the change.
        h.Probe.Outcomes.TryRemove("c0x0", out _);
        await h.RunForAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Ok, h.Registry.Snapshot().Single().Status.State);

        var resolved = (await WaitForAsync(h, (s, c) => s.Incidents.GetAsync(incident.Id, c), i => i!.Status != IncidentStatus.Triggered, "the incident to resolve"))!;
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal(SignalStatus.Resolved,
            Assert.Single(await h.Store.ReadAsync((s, c) => s.Incidents.ListSignalsAsync(incident.Id, c), CancellationToken.None)).Status);
        var after = await h.Store.ReadAsync((s, c) => s.Incidents.ListTimelineAsync(incident.Id, c), CancellationToken.None);
        Assert.Contains(after, t => t.Kind == TimelineKinds.Signal && t.Text == $"check {Key} resolved: svc0 check c0x0 is ok again");
        Assert.Contains(after, t => t.Kind == TimelineKinds.Resolved && t.Text == "Auto-resolved: every attached signal has resolved");
        var changes = await h.Store.ReadAsync((s, c) => s.Checks.ListChangesAsync(Key, DateTimeOffset.MinValue, 10, c), CancellationToken.None);
        Assert.Equal([HealthState.Ok, HealthState.Critical, HealthState.Ok], changes.Select(c => c.To)); // newest first
        Assert.Single(await h.Store.ReadAsync((s, c) => s.Incidents.ListAsync(new IncidentQuery(), c), CancellationToken.None));
    }
}
