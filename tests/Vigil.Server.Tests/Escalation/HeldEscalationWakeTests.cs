using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Audit;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;
using Vigil.Server.Escalation;
using Vigil.Server.Notifications;
using Vigil.Server.Notifications.Channels;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Lifecycle;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Escalation;

/// <summary>
/// Escalations held by a silence or a maintenance window page as soon as the hold ends: at once when
/// it is ended early over the API (the commit wakes the loop), and at the hold's own end through a
/// timer on the injected clock. The fake clock is only moved where the test says so.
/// </summary>
public sealed class HeldEscalationWakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private const string Config = """
        vigil: { name: held-test }
        services:
          - { id: api }
        integrations:
          events: { routing_keys: { API-KEY: api } }
        people:
          - { id: alice, name: Alice, notify_via: [hook] }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
        notifiers:
          - { id: hook, webhook: { url: "http://127.0.0.1:9/hook" } }
        """;

    private static JsonNode Trigger()
    {
        var body = Intake.PayloadNode("pagerduty-trigger.json");
        body["routing_key"] = "API-KEY";
        body["dedup_key"] = "api-down";
        body["payload"]!["severity"] = "critical";
        return body;
    }

    [Theory]
    [InlineData("silence")]
    [InlineData("window")]
    public async Task HoldEndedOverTheApi_PagesAtOnce_WithNoTimeAdvance(string hold)
    {
        var time = new FakeTimeProvider(Now);
        await using var server = await TestServer.StartAsync(Config, time);
        using var admin = server.Admin();
        using var intake = server.Client(await server.CreateTokenAsync("intake-bot", "intake"));
        var store = server.App.Services.GetRequiredService<IVigilStore>();

        string end;
        if (hold == "silence")
        {
            var silence = await admin.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=api" }, duration = "1h", comment = "known issue" });
            Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
            end = $"/api/v1/silences/{JsonDocument.Parse(await silence.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64()}/expire";
        }
        else
        {
            var window = await admin.PostAsJsonAsync("/api/v1/windows", new { services = new[] { "api" }, duration = "1h", reason = "db migration" });
            Assert.Equal(HttpStatusCode.Created, window.StatusCode);
            end = "/api/v1/windows/" + JsonDocument.Parse(await window.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!.TrimStart('#');
        }

        await (await intake.PostJsonAsync(Intake.Events, Trigger())).AssertSuccessAsync("trigger");
        var incident = (await store.ReadAsync((s, c) => s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: 10), c), CancellationToken.None)).Single();
        await Eventually.UntilAsync(() => store.ReadAsync((s, c) => s.Paging.GetEscalationAsync(incident.Id, c), CancellationToken.None),
            e => e?.Status == EscalationStatus.Held, store.NextCommitAsync, TimeSpan.FromSeconds(30), "the escalation held");

        var ended = hold == "silence" ? await admin.PostAsync(end, null) : await admin.DeleteAsync(end);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);

        var pages = await Eventually.UntilAsync(() => store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(incident.Id, false, 10, c), CancellationToken.None),
            list => list.Any(n => n.Kind == NotificationKind.Trigger), store.NextCommitAsync, TimeSpan.FromSeconds(30), "a page after the hold ended");
        Assert.Equal(Now, time.GetUtcNow());
        Assert.Equal(("schedule:primary", "alice", Now), pages.Single(n => n.Kind == NotificationKind.Trigger) is var p ? (p.Target, p.PersonId, p.CreatedAt) : default);
    }

    [Fact]
    public async Task WindowRunsOut_TheLoopWakesAtItsEnd_NotAtAPoll()
    {
        await using var h = await LifecycleHarness.StartAsync(Config);
        var clock = new TimerWatchingTimeProvider(h.Time);
        using var engine = Engine(h, clock);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var windowEnd = h.Now + TimeSpan.FromMinutes(30);
        await h.Store.WriteAsync(async (s, c) =>
        {
            await s.Operations.AddWindowAsync(["api"], h.Now, windowEnd, "db migration", false, "alice", s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft("alice", "window.create", "window/1"), c);
            return 0;
        }, CancellationToken.None);

        var asleep = clock.NextTimerAsync(deadline.Token);
        await engine.StartAsync(CancellationToken.None);
        await asleep;
        asleep = clock.NextTimerAsync(deadline.Token);
        var id = (await h.ApplyAsync(new Signal(SignalSource.Events, "api-down", SignalStatus.Firing, "api is down", "P1", "api",
            new Dictionary<string, string> { ["service"] = "api" }, h.Now))).IncidentId!.Value;
        await asleep; // woke for the incident, held it, and went back to sleep
        Assert.Equal(EscalationStatus.Held, (await h.Store.ReadAsync((s, c) => s.Paging.GetEscalationAsync(id, c), CancellationToken.None))!.Status);

        // Just before the end: the loop wakes (its sleep is capped), is still held, and sleeps until the end.
        asleep = clock.NextTimerAsync(deadline.Token);
        h.Time.Advance(windowEnd - h.Now - TimeSpan.FromMilliseconds(1));
        await asleep;
        Assert.Empty(await h.Store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(id, false, 10, c), CancellationToken.None));

        // A poll would sleep seconds from here; the timer at the window's end fires within milliseconds.
        h.Time.Advance(TimeSpan.FromMilliseconds(2));
        var pages = await Eventually.UntilAsync(() => h.Store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(id, false, 10, c), CancellationToken.None),
            list => list.Any(n => n.Kind == NotificationKind.Trigger), h.Store.NextCommitAsync, TimeSpan.FromSeconds(30), "a page at the window's end");
        await engine.StopAsync(CancellationToken.None);

        Assert.Equal(windowEnd + TimeSpan.FromMilliseconds(1), Assert.Single(pages, n => n.Kind == NotificationKind.Trigger).CreatedAt);
    }

    private static EscalationEngine Engine(LifecycleHarness h, TimeProvider loopClock)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(h.Time).AddLogging().AddVigilNotificationChannels().BuildServiceProvider();
        return new EscalationEngine(h.Store, h.Policies, services.GetRequiredService<INotificationChannel>(), loopClock, h.Health, new FixedRandom(0.5));
    }
}
