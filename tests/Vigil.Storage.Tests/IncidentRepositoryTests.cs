using Vigil.Core.Audit;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>The incident repository, reached only through the store contract.</summary>
public abstract class IncidentRepositoryTests(Backend backend) : StoreTest(backend, T0)
{
    private static new readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();


    private Task<T> Record<T>(Func<IIncidentRepository, CancellationToken, Task<T>> work) =>
        Store.RecordAsync((s, ct) => work(s.Incidents, ct), CancellationToken.None);

    private Task Record(Func<IIncidentRepository, CancellationToken, Task> work) =>
        Store.RecordAsync(async (s, ct) =>
        {
            await work(s.Incidents, ct);
            return 0;
        }, CancellationToken.None);

    private Task<T> Read<T>(Func<IIncidentRepository, CancellationToken, Task<T>> work) =>
        Store.ReadAsync((s, ct) => work(s.Incidents, ct), CancellationToken.None);

    private static Incident New(string group = "db/ping", string severity = "P2", string? service = "db", IncidentStatus status = IncidentStatus.Triggered,
        DateTimeOffset? openedAt = null, DateTimeOffset? ackDueAt = null, DateTimeOffset? ackBreachedAt = null) =>
        new(0, "title of " + group, severity, service, status, group, "system:checks", openedAt ?? T0, null, null, null, null,
            ackDueAt, ackBreachedAt, true, 0, null, null, null, null, NoLabels);

    private Task<Incident> Insert(Incident incident) => Record((r, ct) => r.InsertAsync(incident, ct));

    private static IncidentSignal Sig(long incidentId, string key, SignalStatus status = SignalStatus.Firing, DateTimeOffset? first = null,
        DateTimeOffset? last = null, DateTimeOffset? expires = null, int fired = 1, string? service = "db") =>
        new(incidentId, key, SignalSource.Alertmanager, status, key + " summary", "P2", service, NoLabels, first ?? T0, last ?? first ?? T0,
            status == SignalStatus.Resolved ? last ?? T0 : null, expires, fired, null);

    private static Signal Repeat(string key, DateTimeOffset at, string severity = "P2") =>
        new(SignalSource.Alertmanager, key, SignalStatus.Firing, key + " again", severity, "db", new Dictionary<string, string> { ["team"] = "db" }, at);

    [Fact]
    public async Task RefreshFiringSignal_FiringOnTheLatestOpenIncident_UpdatesTheRowInPlace()
    {
        var i = await Insert(New());
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "k", fired: 3), ct));

        var id = await Record((r, ct) => r.RefreshFiringSignalAsync("db/ping", Repeat("k", T0.AddMinutes(5)) with { ExpiresAt = T0.AddMinutes(9) }, ",P0,P1,P2,", ct));

        Assert.Equal(i.Id, id);
        var row = (await Read((r, ct) => r.GetSignalAsync(i.Id, "k", ct)))!;
        Assert.Equal((SignalStatus.Firing, "k again", T0, T0.AddMinutes(5), (DateTimeOffset?)T0.AddMinutes(9), 3, "db"),
            (row.Status, row.Summary, row.FirstAt, row.LastAt, row.ExpiresAt, row.FireCount, row.Labels["team"]));
    }

    [Theory]
    [InlineData("resolved signal")]
    [InlineData("resolved incident")]
    [InlineData("raising severity")]
    [InlineData("older incident")]
    [InlineData("no such signal")]
    public async Task RefreshFiringSignal_NotARepeatOnAnOpenIncident_WritesNothing(string why)
    {
        var i = await Insert(New(status: why == "resolved incident" ? IncidentStatus.Resolved : IncidentStatus.Triggered));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "k", why == "resolved signal" ? SignalStatus.Resolved : SignalStatus.Firing), ct));
        if (why == "older incident")
        {
            await Insert(New());
        }

        var before = await Read((r, ct) => r.GetSignalAsync(i.Id, "k", ct));
        var id = await Record((r, ct) => r.RefreshFiringSignalAsync("db/ping", Repeat(why == "no such signal" ? "other" : "k", T0.AddMinutes(5), "P1"),
            why == "raising severity" ? ",P0,P1," : ",P0,P1,P2,", ct));

        Assert.Null(id);
        Assert.Equal(before!.LastAt, (await Read((r, ct) => r.GetSignalAsync(i.Id, "k", ct)))!.LastAt);
    }

    // ---- incidents --------------------------------------------------------------------------------

    [Fact]
    public async Task Incident_InsertGetUpdate_RoundTripsEveryField()
    {
        var labels = new Dictionary<string, string> { ["team"] = "web", ["alertname"] = "HighLatency", ["quote"] = "say \"hi\" | ünïcode" };
        var draft = new Incident(0, "API 5xx | high", "P1", "api", IncidentStatus.Triggered, "group:service=api", "alertmanager:prod", T0.AddMilliseconds(123),
            null, null, null, null, T0.AddHours(1), null, true, 0, null, null, null, null, labels);

        var inserted = await Insert(draft);

        Assert.True(inserted.Id > 0);
        Assert.Equal(draft with { Id = inserted.Id }, inserted);
        var got = await Read((r, ct) => r.GetAsync(inserted.Id, ct));
        AssertSame(inserted, got);

        // Every field changed, every nullable one set.
        var changed = new Incident(inserted.Id, "API down", "P0", "db", IncidentStatus.Closed, "other-group", "alice", T0.AddMinutes(1),
            T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(4), T0.AddMinutes(5), T0.AddMinutes(6), T0.AddMinutes(7), false, 3,
            "Alice (alice)", "bob", "carol", T0.AddMinutes(8), new Dictionary<string, string> { ["only"] = "one" });
        await Record((r, ct) => r.UpdateAsync(changed, ct));
        AssertSame(changed, await Read((r, ct) => r.GetAsync(inserted.Id, ct)));

        // And back to nulls.
        var cleared = changed with
        {
            Service = null, AcknowledgedAt = null, MitigatedAt = null, ResolvedAt = null, ClosedAt = null, AckDueAt = null, AckBreachedAt = null,
            Commander = null, Scribe = null, Assignee = null, PirAt = null, Labels = NoLabels, AutoResolve = true,
        };
        await Record((r, ct) => r.UpdateAsync(cleared, ct));
        AssertSame(cleared, await Read((r, ct) => r.GetAsync(inserted.Id, ct)));
    }

    [Theory]
    [InlineData(IncidentStatus.Triggered)]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Mitigated)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    public async Task Incident_EveryStatus_RoundTrips(IncidentStatus status)
    {
        var inserted = await Insert(New(status: status));

        Assert.Equal(status, (await Read((r, ct) => r.GetAsync(inserted.Id, ct)))!.Status);
    }

    [Fact]
    public async Task Get_UnknownId_IsNull()
    {
        Assert.Null(await Read((r, ct) => r.GetAsync(999, ct)));
    }

    [Fact]
    public async Task LatestInGroup_IsTheNewestOfThatGroupWhateverItsStatus()
    {
        var first = await Insert(New("db/ping", status: IncidentStatus.Closed));
        var second = await Insert(New("db/ping", status: IncidentStatus.Resolved));
        var other = await Insert(New("api/health"));

        Assert.Equal(second.Id, (await Read((r, ct) => r.LatestInGroupAsync("db/ping", ct)))!.Id);
        Assert.Equal(other.Id, (await Read((r, ct) => r.LatestInGroupAsync("api/health", ct)))!.Id);
        Assert.Null(await Read((r, ct) => r.LatestInGroupAsync("nothing", ct)));
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task List_FiltersCombineAndNewestComesFirst()
    {
        var a = await Insert(New("a", "P1", "api", IncidentStatus.Triggered, T0));
        var b = await Insert(New("b", "P2", "api", IncidentStatus.Acknowledged, T0.AddHours(1)));
        var c = await Insert(New("c", "P1", "db", IncidentStatus.Mitigated, T0.AddHours(2)));
        var d = await Insert(New("d", "P1", "api", IncidentStatus.Resolved, T0.AddHours(3)));
        var e = await Insert(New("e", "P3", null, IncidentStatus.Closed, T0.AddHours(4)));

        async Task<long[]> Ids(IncidentQuery q) => [.. (await Read((r, ct) => r.ListAsync(q, ct))).Select(i => i.Id)];

        Assert.Equal([e.Id, d.Id, c.Id, b.Id, a.Id], await Ids(new IncidentQuery()));
        Assert.Equal([c.Id, b.Id, a.Id], await Ids(new IncidentQuery(OpenOnly: true)));
        Assert.Equal([d.Id, c.Id, a.Id], await Ids(new IncidentQuery(Severity: "P1")));
        Assert.Equal([d.Id, b.Id, a.Id], await Ids(new IncidentQuery(Service: "api")));
        Assert.Equal([d.Id, c.Id], await Ids(new IncidentQuery(Since: T0.AddHours(2), Severity: "P1")));
        Assert.Equal([a.Id], await Ids(new IncidentQuery(OpenOnly: true, Severity: "P1", Service: "api")));
        Assert.Equal([e.Id, d.Id], await Ids(new IncidentQuery(Limit: 2)));
        Assert.Empty(await Ids(new IncidentQuery(Service: "nothing")));
    }

    [Fact]
    public async Task ListOpenForServices_OnlyOpenIncidentsOfThoseServices_OldestFirst()
    {
        var dbOpen = await Insert(New("a", service: "db", status: IncidentStatus.Acknowledged));
        await Insert(New("b", service: "db", status: IncidentStatus.Resolved));
        var diskOpen = await Insert(New("c", service: "disk", status: IncidentStatus.Mitigated));
        await Insert(New("d", service: "api"));
        await Insert(New("e", service: null));
        var dbTriggered = await Insert(New("f", service: "db"));

        var oldest = await Read((r, ct) => r.OldestOpenForServicesAsync(["disk", "db"], ct));

        Assert.Equal(dbOpen.Id, oldest!.Id);
        Assert.Equal(diskOpen.Id, (await Read((r, ct) => r.OldestOpenForServicesAsync(["disk"], ct)))!.Id);
        Assert.NotEqual(dbTriggered.Id, oldest.Id);
        Assert.Null(await Read((r, ct) => r.OldestOpenForServicesAsync([], ct)));
        Assert.Null(await Read((r, ct) => r.OldestOpenForServicesAsync(["lonely"], ct)));
    }

    [Fact]
    public async Task ListAckOverdue_TriggeredDueAndNotBreached_EarliestDueFirstUpToTheLimit()
    {
        var late = await Insert(New("a", ackDueAt: T0.AddMinutes(20)));
        var early = await Insert(New("b", ackDueAt: T0.AddMinutes(10)));
        var exactlyNow = await Insert(New("c", ackDueAt: T0.AddMinutes(30)));
        await Insert(New("d", ackDueAt: T0.AddMinutes(31))); // not due yet
        await Insert(New("e", ackDueAt: T0.AddMinutes(5), ackBreachedAt: T0.AddMinutes(5))); // already recorded
        await Insert(New("f", status: IncidentStatus.Acknowledged, ackDueAt: T0.AddMinutes(5))); // acknowledged in time or not: no longer due
        await Insert(New("g", status: IncidentStatus.Resolved, ackDueAt: T0.AddMinutes(5)));
        await Insert(New("h", ackDueAt: null)); // no target

        var now = T0.AddMinutes(30);
        var overdue = await Read((r, ct) => r.ListAckOverdueAsync(now, 100, ct));

        Assert.Equal([early.Id, late.Id, exactlyNow.Id], overdue.Select(i => i.Id));
        Assert.Equal([early.Id, late.Id], (await Read((r, ct) => r.ListAckOverdueAsync(now, 2, ct))).Select(i => i.Id));
        Assert.Empty(await Read((r, ct) => r.ListAckOverdueAsync(T0.AddMinutes(9), 100, ct)));
    }

    [Fact]
    public async Task NextDue_EarliestOfPendingAckTargetsAndFiringSignalExpiries()
    {
        Assert.Null(await Read((r, ct) => r.NextDueAsync(ct)));

        var i = await Insert(New("a", ackDueAt: T0.AddMinutes(30)));
        await Insert(New("b", ackDueAt: T0.AddMinutes(1), ackBreachedAt: T0.AddMinutes(1))); // breached: done
        await Insert(New("c", status: IncidentStatus.Acknowledged, ackDueAt: T0.AddMinutes(2))); // acked: done
        Assert.Equal(T0.AddMinutes(30), await Read((r, ct) => r.NextDueAsync(ct)));

        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "resolved-early", SignalStatus.Resolved, expires: T0.AddMinutes(3)), ct));
        Assert.Equal(T0.AddMinutes(30), await Read((r, ct) => r.NextDueAsync(ct)));

        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "expiring", expires: T0.AddMinutes(12)), ct));
        Assert.Equal(T0.AddMinutes(12), await Read((r, ct) => r.NextDueAsync(ct)));

        // Once the ack target is breached only the expiry is left; once the signal resolves, nothing.
        var stored = (await Read((r, ct) => r.GetAsync(i.Id, ct)))!;
        await Record((r, ct) => r.UpdateAsync(stored with { AckBreachedAt = stored.AckDueAt }, ct));
        Assert.Equal(T0.AddMinutes(12), await Read((r, ct) => r.NextDueAsync(ct)));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "expiring", SignalStatus.Resolved, expires: null), ct));
        Assert.Null(await Read((r, ct) => r.NextDueAsync(ct)));
    }

    // ---- signals ----------------------------------------------------------------------------------

    [Fact]
    public async Task Signal_UpsertTwice_InsertsThenUpdatesEveryField()
    {
        var i = await Insert(New());
        var first = new IncidentSignal(i.Id, "fp-1", SignalSource.Alertmanager, SignalStatus.Firing, "latency high", "P2", "db",
            new Dictionary<string, string> { ["alertname"] = "Latency" }, T0, T0.AddSeconds(1), null, T0.AddMinutes(5), 1, "dependency disk has open incident #1 (x)");
        await Record((r, ct) => r.UpsertSignalAsync(first, ct));
        AssertSame(first, await Read((r, ct) => r.GetSignalAsync(i.Id, "fp-1", ct)));

        var second = new IncidentSignal(i.Id, "fp-1", SignalSource.Events, SignalStatus.Resolved, "latency ok", "P1", null, NoLabels,
            T0.AddSeconds(2), T0.AddMinutes(3), T0.AddMinutes(3), null, 4, null);
        await Record((r, ct) => r.UpsertSignalAsync(second, ct));

        AssertSame(second, await Read((r, ct) => r.GetSignalAsync(i.Id, "fp-1", ct)));
        Assert.Single(await Read((r, ct) => r.ListSignalsAsync(i.Id, ct)));
        Assert.Null(await Read((r, ct) => r.GetSignalAsync(i.Id, "fp-2", ct)));
    }

    [Fact]
    public async Task Signal_EverySource_RoundTrips()
    {
        var i = await Insert(New());
        foreach (var source in Enum.GetValues<SignalSource>())
        {
            await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, source.ToName()) with { Source = source }, ct));
            Assert.Equal(source, (await Read((r, ct) => r.GetSignalAsync(i.Id, source.ToName(), ct)))!.Source);
        }
    }

    [Fact]
    public async Task FindSignal_IsTheNewestIncidentsAttachment()
    {
        var old = await Insert(New("g"));
        var newer = await Insert(New("g"));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(newer.Id, "fp-1", fired: 2), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(old.Id, "fp-1", SignalStatus.Resolved, fired: 5), ct));

        var found = await Read((r, ct) => r.FindSignalAsync("fp-1", ct));

        Assert.Equal(newer.Id, found!.IncidentId);
        Assert.Equal(2, found.FireCount);
        Assert.Null(await Read((r, ct) => r.FindSignalAsync("fp-unknown", ct)));
    }

    [Fact]
    public async Task ListSignals_OfOneIncident_ByFirstSeenThenKey()
    {
        var i = await Insert(New());
        var other = await Insert(New("other"));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "zeta", first: T0.AddMinutes(1)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "beta", first: T0.AddMinutes(2)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "alpha", first: T0.AddMinutes(1)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(other.Id, "elsewhere"), ct));

        var list = await Read((r, ct) => r.ListSignalsAsync(i.Id, ct));

        Assert.Equal(["alpha", "zeta", "beta"], list.Select(s => s.DedupKey));
    }

    [Fact]
    public async Task CountFiring_OnlyFiringSignalsOfThatIncident()
    {
        var i = await Insert(New());
        var other = await Insert(New("other"));
        Assert.Equal(0, await Read((r, ct) => r.CountFiringAsync(i.Id, ct)));

        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "a"), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "b"), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "c", SignalStatus.Resolved), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(other.Id, "d"), ct));
        Assert.Equal(2, await Read((r, ct) => r.CountFiringAsync(i.Id, ct)));

        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "a", SignalStatus.Resolved), ct));
        Assert.Equal(1, await Read((r, ct) => r.CountFiringAsync(i.Id, ct)));
    }

    [Fact]
    public async Task ListFiringOfOpen_FiringSignalsOfTheNewestOpenIncidents_NewestIncidentFirst()
    {
        var old = await Insert(New("old"));
        var closed = await Insert(New("closed", status: IncidentStatus.Resolved));
        var newer = await Insert(New("newer", status: IncidentStatus.Acknowledged));
        var newest = await Insert(New("newest"));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(old.Id, "old-a"), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(closed.Id, "closed-a"), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(newer.Id, "newer-b", first: T0.AddMinutes(2)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(newer.Id, "newer-a", first: T0.AddMinutes(1)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(newer.Id, "newer-resolved", SignalStatus.Resolved), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(newest.Id, "newest-a"), ct));

        Assert.Equal(["newest-a", "newer-a", "newer-b", "old-a"], (await Read((r, ct) => r.ListFiringOfOpenAsync(10, ct))).Select(s => s.DedupKey));
        // The limit counts open incidents, not signals: the two newest open ones, with every firing signal of each.
        Assert.Equal(["newest-a", "newer-a", "newer-b"], (await Read((r, ct) => r.ListFiringOfOpenAsync(2, ct))).Select(s => s.DedupKey));
    }

    [Fact]
    public async Task ListExpiredSignals_FiringWithExpiryPassed_EarliestFirstUpToTheLimit()
    {
        var i = await Insert(New());
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "later", expires: T0.AddMinutes(8)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "earlier", expires: T0.AddMinutes(4)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "exactly", expires: T0.AddMinutes(10)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "future", expires: T0.AddMinutes(11)), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "never", expires: null), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(i.Id, "resolved", SignalStatus.Resolved, expires: T0.AddMinutes(1)), ct));

        var expired = await Read((r, ct) => r.ListExpiredSignalsAsync(T0.AddMinutes(10), 100, ct));

        Assert.Equal(["earlier", "later", "exactly"], expired.Select(s => s.DedupKey));
        Assert.Equal(["earlier"], (await Read((r, ct) => r.ListExpiredSignalsAsync(T0.AddMinutes(10), 1, ct))).Select(s => s.DedupKey));
    }

    [Fact]
    public async Task TopSignals_SumsFiresPerKeyAcrossIncidents_SinceAndServiceFilter()
    {
        var a = await Insert(New("a"));
        var b = await Insert(New("b"));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(a.Id, "noisy", last: T0.AddHours(1), fired: 4), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(b.Id, "noisy", last: T0.AddHours(2), fired: 3), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(a.Id, "medium", last: T0.AddHours(1), fired: 5, service: "api"), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(a.Id, "tie-b", last: T0.AddHours(1), fired: 2), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(b.Id, "tie-a", last: T0.AddHours(1), fired: 2), ct));
        await Record((r, ct) => r.UpsertSignalAsync(Sig(b.Id, "ancient", first: T0.AddDays(-9), last: T0.AddDays(-8), fired: 99), ct));

        var top = await Read((r, ct) => r.TopSignalsAsync(T0, null, 10, ct));

        Assert.Equal(["noisy", "medium", "tie-a", "tie-b"], top.Select(s => s.DedupKey));
        Assert.Equal(new NoisySignal("noisy", "alertmanager", "db", "noisy summary", 7, 2), top[0]);
        Assert.Equal(new NoisySignal("medium", "alertmanager", "api", "medium summary", 5, 1), top[1]);
        Assert.Equal(["noisy", "tie-a"], (await Read((r, ct) => r.TopSignalsAsync(T0, "db", 2, ct))).Select(s => s.DedupKey));
        Assert.Equal(["noisy"], (await Read((r, ct) => r.TopSignalsAsync(T0.AddMinutes(90), null, 10, ct))).Select(s => s.DedupKey));
    }

    // ---- timeline, checklist, action items --------------------------------------------------------

    [Fact]
    public async Task Timeline_OrderedByTimeThenInsertion_PerIncident()
    {
        var i = await Insert(New());
        var other = await Insert(New("other"));
        var opened = await Record((r, ct) => r.AddTimelineAsync(i.Id, T0.AddMinutes(1), TimelineKinds.Opened, "system:checks", "opened", ct));
        // A signal observed before the incident was stored is written later but sorts earlier.
        await Record((r, ct) => r.AddTimelineAsync(i.Id, T0, TimelineKinds.Signal, "system:checks", "signal", ct));
        await Record((r, ct) => r.AddTimelineAsync(i.Id, T0.AddMinutes(5), TimelineKinds.Acknowledged, "alice", "ack", ct));
        await Record((r, ct) => r.AddTimelineAsync(i.Id, T0.AddMinutes(5), TimelineKinds.Note, "alice", "same time, later", ct));
        await Record((r, ct) => r.AddTimelineAsync(other.Id, T0, TimelineKinds.Opened, "bob", "elsewhere", ct));

        var timeline = await Read((r, ct) => r.ListTimelineAsync(i.Id, ct));

        Assert.Equal(["signal", "opened", "ack", "same time, later"], timeline.Select(t => t.Text));
        Assert.Equal(new TimelineEntry(opened.Id, i.Id, T0.AddMinutes(1), "opened", "system:checks", "opened"), timeline[1]);
        Assert.True(opened.Id > 0);
        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(5), T0.AddMinutes(5)], timeline.Select(t => t.At));
    }

    [Fact]
    public async Task Checklist_AddedNumberedFromOne_TickAndUntick()
    {
        var i = await Insert(New());
        var other = await Insert(New("other"));
        await Record((r, ct) => r.AddChecklistAsync(i.Id, ["Name a commander", "Open a channel", "Post a status update"], ct));
        await Record((r, ct) => r.AddChecklistAsync(other.Id, ["Something else"], ct));
        await Record((r, ct) => r.AddChecklistAsync(other.Id, [], ct));

        var items = await Read((r, ct) => r.ListChecklistAsync(i.Id, ct));
        Assert.Equal([1, 2, 3], items.Select(c => c.Number));
        Assert.Equal(["Name a commander", "Open a channel", "Post a status update"], items.Select(c => c.Text));
        Assert.All(items, c => Assert.Null(c.DoneAt));

        await Record((r, ct) => r.UpdateChecklistItemAsync(items[1] with { DoneAt = T0.AddMinutes(3), DoneBy = "alice" }, ct));
        var ticked = await Read((r, ct) => r.ListChecklistAsync(i.Id, ct));
        Assert.Equal(new ChecklistItem(i.Id, 2, "Open a channel", T0.AddMinutes(3), "alice"), ticked[1]);
        Assert.Null(ticked[0].DoneAt);
        Assert.Single(await Read((r, ct) => r.ListChecklistAsync(other.Id, ct)));

        await Record((r, ct) => r.UpdateChecklistItemAsync(ticked[1] with { DoneAt = null, DoneBy = null }, ct));
        Assert.Equal(items, await Read((r, ct) => r.ListChecklistAsync(i.Id, ct)));
    }

    [Fact]
    public async Task ActionItems_AddGetUpdateAndList()
    {
        var i = await Insert(New());
        var other = await Insert(New("other"));
        var a1 = await Record((r, ct) => r.AddActionAsync(i.Id, "Alert on disk at 80%", "bob", "alice", T0.AddDays(1), ct));
        var a2 = await Record((r, ct) => r.AddActionAsync(i.Id, "Add a replica", null, "alice", T0.AddDays(1), ct));
        var a3 = await Record((r, ct) => r.AddActionAsync(other.Id, "Unrelated", "carol", "carol", T0.AddDays(2), ct));

        Assert.Equal(new ActionItem(a1.Id, i.Id, "Alert on disk at 80%", "bob", T0.AddDays(1), "alice", null, null), a1);
        Assert.Equal(a1, await Read((r, ct) => r.GetActionAsync(a1.Id, ct)));
        Assert.Equal(a2, await Read((r, ct) => r.GetActionAsync(a2.Id, ct)));
        Assert.Null(await Read((r, ct) => r.GetActionAsync(9999, ct)));

        var done = a2 with { Text = "Add two replicas", Owner = "dave", DoneAt = T0.AddDays(3), DoneBy = "dave" };
        await Record((r, ct) => r.UpdateActionAsync(done, ct));
        Assert.Equal(done, await Read((r, ct) => r.GetActionAsync(a2.Id, ct)));

        Assert.Equal([a1.Id, a2.Id], (await Read((r, ct) => r.ListActionsAsync(i.Id, false, ct))).Select(a => a.Id));
        Assert.Equal([a1.Id], (await Read((r, ct) => r.ListActionsAsync(i.Id, true, ct))).Select(a => a.Id));
        Assert.Equal([a1.Id, a2.Id, a3.Id], (await Read((r, ct) => r.ListActionsAsync(null, false, ct))).Select(a => a.Id));
        Assert.Equal([a1.Id, a3.Id], (await Read((r, ct) => r.ListActionsAsync(null, true, ct))).Select(a => a.Id));
    }

    // ---- the write contract -----------------------------------------------------------------------

    [Fact]
    public async Task WriteAsync_IncidentWithoutAuditEntry_RollsBackEverything()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync(async (s, ct) =>
        {
            var i = await s.Incidents.InsertAsync(New("sneaky"), ct);
            await s.Incidents.AddTimelineAsync(i.Id, T0, TimelineKinds.Opened, "sneaky", "opened", ct);
            await s.Incidents.UpsertSignalAsync(Sig(i.Id, "fp-1"), ct);
            return i;
        }, CancellationToken.None));

        Assert.Contains("audit", ex.Message);
        Assert.Empty(await Read((r, ct) => r.ListAsync(new IncidentQuery(), ct)));
        Assert.Null(await Read((r, ct) => r.FindSignalAsync("fp-1", ct)));
        Assert.Null(await Read((r, ct) => r.LatestInGroupAsync("sneaky", ct)));
    }

    [Fact]
    public async Task WriteAsync_IncidentWithAuditEntry_Commits()
    {
        var i = await Store.WriteAsync(async (s, ct) =>
        {
            var inserted = await s.Incidents.InsertAsync(New("audited"), ct);
            await s.Audit.AppendAsync(new AuditDraft("alice", "incident.open", $"incident/{inserted.Id}"), ct);
            return inserted;
        }, CancellationToken.None);

        Assert.Equal(i.Id, (await Read((r, ct) => r.LatestInGroupAsync("audited", ct)))!.Id);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /// <summary>Records compare labels by reference; compare them by content and the rest as records.</summary>
    private static void AssertSame(Incident expected, Incident? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Labels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(expected with { Labels = NoLabels }, actual with { Labels = NoLabels });
    }

    private static void AssertSame(IncidentSignal expected, IncidentSignal? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Labels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(expected with { Labels = NoLabels }, actual with { Labels = NoLabels });
    }

    public sealed class OnSqlite() : IncidentRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : IncidentRepositoryTests(Backend.Postgres);
}
