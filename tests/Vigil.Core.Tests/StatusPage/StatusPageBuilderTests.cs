using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.StatusPage;
using Vigil.Core.Storage;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.StatusPage;

/// <summary>What the public sees, built from plain data: states, uptime bars, incidents and maintenance.</summary>
public sealed class StatusPageBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static readonly VigilConfig Config = Load("""
        vigil: { name: acme }
        services:
          - { id: api, name: API, public: true, description: Public REST API }
          - { id: web, name: Web, public: true }
          - { id: db, name: Database }
        maintenance:
          - { id: sunday, cron: "0 2 * * SUN", duration: 2h, timezone: UTC, services: ["*"], description: Weekly patching }
          - { id: dbwork, cron: "0 12 * * *", duration: 1h, timezone: UTC, services: [db], description: private db work }
        """);

    private static VigilConfig Load(string yaml)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }

    private static StatusPageInput Input(
        IReadOnlyDictionary<string, string>? health = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, DayCount>>? uptime = null,
        IReadOnlyList<Incident>? incidents = null,
        IReadOnlyDictionary<long, IReadOnlyList<TimelineEntry>>? updates = null,
        IReadOnlyList<MaintenanceWindow>? windows = null,
        VigilConfig? config = null) =>
        new(config ?? Config, health ?? new Dictionary<string, string> { ["api"] = "ok", ["web"] = "ok", ["db"] = "ok" },
            uptime ?? new Dictionary<string, IReadOnlyDictionary<DateOnly, DayCount>>(), incidents ?? [], updates ?? new Dictionary<long, IReadOnlyList<TimelineEntry>>(),
            windows ?? [], Now);

    private static Incident Incident(long id, string? service, IncidentStatus status, DateTimeOffset opened, DateTimeOffset? resolved = null) =>
        new(id, "internal title " + id, "P1", service, status, "g" + id, "admin", opened, null, null, resolved, null, null, null, false, 0, "alice", null, null, null,
            new Dictionary<string, string> { ["team"] = "secret" });

    [Fact]
    public void Build_DailyTotals_NinetyBarsEndingToday_PercentFlooredAndOverall()
    {
        var uptime = new Dictionary<string, IReadOnlyDictionary<DateOnly, DayCount>>
        {
            ["api"] = new Dictionary<DateOnly, DayCount>
            {
                [Today] = new(10, 0),
                [Today.AddDays(-1)] = new(1000, 1),
                [Today.AddDays(-89)] = new(100, 50),
                [Today.AddDays(-90)] = new(100, 100),
            },
        };

        var model = StatusPageBuilder.Build(Input(uptime: uptime));

        Assert.Equal(90, model.Days.Count);
        Assert.Equal((Today.AddDays(-89), Today), (model.Days[0], model.Days[^1]));
        var api = model.Services.Single(s => s.Id == "api");
        Assert.Equal(50, api.DailyUptime[0]);
        Assert.Equal(99.9, api.DailyUptime[88]);
        Assert.Equal(100, api.DailyUptime[89]);
        Assert.Null(api.DailyUptime[1]);
        Assert.Equal(95.4, api.Uptime);
        Assert.Null(model.Services.Single(s => s.Id == "web").Uptime);
    }

    [Fact]
    public void Build_OneFailureInAMillion_IsNotShownAsAHundredPercent()
    {
        var uptime = new Dictionary<string, IReadOnlyDictionary<DateOnly, DayCount>> { ["api"] = new Dictionary<DateOnly, DayCount> { [Today] = new(1_000_000, 1) } };

        var api = StatusPageBuilder.Build(Input(uptime: uptime)).Services.Single(s => s.Id == "api");

        Assert.Equal(99.99, api.Uptime);
    }

    [Fact]
    public void Build_OnlyPublicServices_StatesFromHealthIncidentsAndWindows_OverallIsTheWorst()
    {
        var adHoc = new MaintenanceWindow(4, ["web"], Now.AddMinutes(-5), Now.AddHours(1), "Swap disks", false, "bob", Now.AddMinutes(-5), null, null);

        var calm = StatusPageBuilder.Build(Input(windows: [adHoc]));
        var open = StatusPageBuilder.Build(Input(incidents: [Incident(1, "api", IncidentStatus.Triggered, Now.AddMinutes(-3))], windows: [adHoc]));
        var failing = StatusPageBuilder.Build(Input(health: new Dictionary<string, string> { ["api"] = "warning", ["web"] = "critical" }, windows: [adHoc]));
        var paused = StatusPageBuilder.Build(Input(health: new Dictionary<string, string> { ["api"] = "paused" }));

        Assert.Equal(["api", "web"], calm.Services.Select(s => s.Id));
        Assert.Equal([PublicState.Operational, PublicState.Maintenance], calm.Services.Select(s => s.State));
        Assert.Equal(PublicState.Maintenance, calm.Overall);
        Assert.Equal(PublicState.Degraded, open.Services[0].State);
        Assert.Equal(PublicState.Degraded, open.Overall);
        Assert.Equal([PublicState.Degraded, PublicState.Outage], failing.Services.Select(s => s.State));
        Assert.Equal(PublicState.Outage, failing.Overall);
        Assert.Equal([PublicState.Unknown, PublicState.Unknown], paused.Services.Select(s => s.State));
    }

    [Fact]
    public void Build_Incidents_PublicOnes_OpenAndLast30Days_WithPublicUpdatesOnly()
    {
        var incidents = new[]
        {
            Incident(1, "api", IncidentStatus.Acknowledged, Now.AddDays(-40)),
            Incident(2, "api", IncidentStatus.Resolved, Now.AddDays(-2), Now.AddDays(-2).AddHours(1)),
            Incident(3, "db", IncidentStatus.Triggered, Now.AddHours(-1)),
            Incident(4, null, IncidentStatus.Triggered, Now.AddHours(-1)),
            Incident(5, "web", IncidentStatus.Closed, Now.AddDays(-31), Now.AddDays(-31)),
            Incident(6, "web", IncidentStatus.Mitigated, Now.AddHours(-2)),
        };
        var updates = new Dictionary<long, IReadOnlyList<TimelineEntry>>
        {
            [1] =
            [
                new(1, 1, Now.AddDays(-40), TimelineKinds.Note, "alice", "internal note"),
                new(2, 1, Now.AddDays(-39), TimelineKinds.PublicUpdate, "alice", "We found the cause."),
            ],
        };

        var model = StatusPageBuilder.Build(Input(incidents: incidents, updates: updates));

        Assert.Equal([6L, 1L], model.OpenIncidents.Select(i => i.Id));
        Assert.Equal(["monitoring", "identified"], model.OpenIncidents.Select(i => i.Status));
        Assert.Equal("High", model.OpenIncidents[0].Severity);
        var first = model.OpenIncidents.Single(i => i.Id == 1);
        Assert.Equal([new PublicUpdate(Now.AddDays(-39), "We found the cause.")], first.Updates);
        Assert.Equal(Now.AddDays(-39), first.UpdatedAt);
        var past = Assert.Single(model.RecentIncidents);
        Assert.Equal((2L, "resolved", (DateTimeOffset?)Now.AddDays(-2).AddHours(1)), (past.Id, past.Status, past.ResolvedAt));
    }

    [Fact]
    public void Build_Maintenance_ActiveAndNextOnPublicServices_NotPrivateCancelledOrFarAway()
    {
        var windows = new[]
        {
            new MaintenanceWindow(1, ["api"], Now.AddHours(1), Now.AddHours(2), "Upgrade", false, "bob", Now, null, null),
            new MaintenanceWindow(2, ["db"], Now.AddHours(-1), Now.AddHours(2), "db only", false, "bob", Now, null, null),
            new MaintenanceWindow(3, ["api"], Now.AddHours(-1), Now.AddHours(2), "cancelled", false, "bob", Now, Now, "bob"),
            new MaintenanceWindow(4, ["web"], Now.AddDays(20), Now.AddDays(21), "far away", false, "bob", Now, null, null),
            new MaintenanceWindow(5, ["web", "db"], Now.AddHours(-1), Now.AddHours(3), "Network work", false, "bob", Now, null, null),
        };

        var model = StatusPageBuilder.Build(Input(windows: windows));

        // 6 Dec 2026 is a Sunday: the weekly window ran 02:00–04:00 today, so next Sunday's is listed.
        Assert.Equal(["#5", "#1", "config:sunday"], model.Maintenance.Select(m => m.Id));
        Assert.Equal([true, false, false], model.Maintenance.Select(m => m.Active));
        Assert.Equal(["Web"], model.Maintenance[0].ServiceNames);
        Assert.Equal(["API", "Web"], model.Maintenance[2].ServiceNames);
        Assert.Equal(new DateTimeOffset(2026, 12, 13, 2, 0, 0, TimeSpan.Zero), model.Maintenance[2].StartsAt);
        Assert.Equal("Weekly patching", model.Maintenance[2].Description);
        Assert.Equal(Now.AddHours(1), StatusPageBuilder.NextChange(model, Now));
    }

    [Fact]
    public void NextChange_NothingScheduled_IsMidnightUtc()
    {
        var model = StatusPageBuilder.Build(Input(config: Load("vigil: { name: acme }\nservices: [{ id: api, public: true }]\n")));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), StatusPageBuilder.NextChange(model, Now));
    }

    [Fact]
    public void ByService_CheckKeys_SummedPerServiceAndDay_OtherServicesSkipped()
    {
        var day = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var totals = new[] { new DailyTotal("api/a", day, 10, 1), new DailyTotal("api/b", day, 5, 2), new DailyTotal("db/x", day, 7, 7) };

        var byService = StatusPageBuilder.ByService(totals, new HashSet<string> { "api" });

        Assert.Equal(["api"], byService.Keys);
        Assert.Equal(new DayCount(15, 3), byService["api"][new DateOnly(2026, 12, 5)]);
    }
}
