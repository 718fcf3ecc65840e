using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// The intake routes over real HTTP with the payloads Alertmanager, Prometheus and PagerDuty
/// document (Incidents/Payloads), asserting the incidents, signals and timelines they produce
/// through the incident API. Time is a <see cref="FakeTimeProvider"/> so expiry is exact.
/// </summary>
public sealed class IntakeApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);

    private const string Services = """
        vigil:
          name: intake-test
          environment: dev
        services:
          - id: web
            name: Web
          - id: db
            name: Database
          - id: api
            name: API
            depends_on: [db]
        """;

    [Fact]
    public async Task Webhook_Firing_OpensOneIncidentWithTheAlertAsSignal()
    {
        await using var env = await Env.StartAsync();

        var response = await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"));

        using var answer = JsonDocument.Parse(await response.AssertSuccessAsync("firing webhook"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", answer.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, answer.RootElement.GetProperty("alerts").GetInt32());
        var id = Assert.Single(answer.RootElement.GetProperty("incidents").EnumerateArray()).GetInt64();

        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal(id, incident.Id);
        Assert.Equal("Web error rate above 5%", incident.Title);
        Assert.Equal("P0", incident.Severity); // severity=critical, no map: the first level
        Assert.Equal("web", incident.Service);
        Assert.Equal("triggered", incident.Status);
        Assert.Equal("intake-bot", incident.OpenedBy);
        Assert.True(incident.AutoResolve);
        Assert.Equal("HighErrorRate", incident.Labels["alertname"]);

        var detail = await env.Viewer.DetailAsync(id);
        var signal = Assert.Single(detail.Signals);
        Assert.Equal("7b1e4c3d9a0f2e51", signal.DedupKey);
        Assert.Equal("alertmanager", signal.Source);
        Assert.Equal("firing", signal.Status);
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T09:52:40.262Z"), signal.FirstAt);
        Assert.Null(signal.ExpiresAt); // webhook alerts end by a resolved webhook, not by expiry
        Assert.Null(signal.InhibitedReason);
        Assert.Equal(["opened", "signal"], Kinds(detail));
        Assert.Contains("7b1e4c3d9a0f2e51", detail.Timeline[0].Text);
    }

    [Fact]
    public async Task Webhook_RepeatedFiring_RefreshesTheSignalWithoutNewIncidentOrTimeline()
    {
        await using var env = await Env.StartAsync();
        await (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"))).AssertSuccessAsync("first");

        // Alertmanager re-sends a firing group (group_interval, repeat_interval); 10m stays inside P0's 15m ack target.
        env.Time.Advance(TimeSpan.FromMinutes(10));
        await (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"))).AssertSuccessAsync("repeat");

        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        var detail = await env.Viewer.DetailAsync(incident.Id);
        Assert.Equal(1, Assert.Single(detail.Signals).FireCount);
        Assert.Equal(["opened", "signal"], Kinds(detail));
    }

    [Fact]
    public async Task Webhook_ResolvedWithSameFingerprint_AutoResolvesTheIncident()
    {
        await using var env = await Env.StartAsync();
        await (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"))).AssertSuccessAsync("firing");
        env.Time.Advance(TimeSpan.FromMinutes(1));

        var response = await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-resolved.json"));
        await response.AssertSuccessAsync("resolved");

        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal("resolved", incident.Status);
        // The alert's endsAt (09:57:40) is before the incident opened (10:00): it resolves when it opened, never earlier.
        Assert.Equal(Now, incident.ResolvedAt);
        var detail = await env.Viewer.DetailAsync(incident.Id);
        var signal = Assert.Single(detail.Signals);
        Assert.Equal("resolved", signal.Status);
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T09:57:40.262Z"), signal.ResolvedAt);
        Assert.Equal(["opened", "resolved", "signal", "signal"], Kinds(detail));
        var resolved = detail.Timeline.Last(t => t.Kind == "resolved");
        Assert.Equal(IncidentWriter.SystemActor, resolved.Actor);
        Assert.Contains("Auto-resolved", resolved.Text);

        // The same alert firing again within reopen_within (1h) reopens the incident instead of opening another.
        env.Time.Advance(TimeSpan.FromMinutes(10));
        await (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"))).AssertSuccessAsync("fires again");
        var reopened = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal("triggered", reopened.Status);
        Assert.Equal(1, reopened.Reopened);
        Assert.Contains("reopened", (await env.Viewer.DetailAsync(reopened.Id)).Timeline.Select(t => t.Kind));
    }

    [Fact]
    public async Task Webhook_Grouped_OneIncidentPerFingerprint()
    {
        await using var env = await Env.StartAsync();

        var response = await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-grouped.json"));

        using var answer = JsonDocument.Parse(await response.AssertSuccessAsync("grouped webhook"));
        Assert.Equal(3, answer.RootElement.GetProperty("incidents").GetArrayLength());
        var incidents = await env.Viewer.IncidentsAsync();
        Assert.Equal(3, incidents.Count);
        var keys = new List<string>();
        foreach (var i in incidents)
        {
            keys.Add(Assert.Single((await env.Viewer.DetailAsync(i.Id)).Signals).DedupKey);
        }

        Assert.Equal(["0a5f2d7c61b8e394", "9e3c18b4d27a05f6", "c47d0e92a6f13b85"], keys.Order());
        Assert.Equal(["Disk on db-1 will fill within 4 hours", "Disk on db-2 will fill within 4 hours", "API p95 latency above 500ms"],
            incidents.OrderBy(i => i.Id).Select(i => i.Title));
    }

    [Fact]
    public async Task Webhook_Grouped_WithGroupByAlertname_GroupsSignalsIntoOneIncidentPerAlertname()
    {
        await using var env = await Env.StartAsync(Services + """

            incidents:
              group_by: [alertname]
            """);

        var response = await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-grouped.json"));

        using var answer = JsonDocument.Parse(await response.AssertSuccessAsync("grouped webhook"));
        Assert.Equal(2, answer.RootElement.GetProperty("incidents").GetArrayLength());
        var incidents = await env.Viewer.IncidentsAsync();
        Assert.Equal(2, incidents.Count);
        var disk = Assert.Single(incidents, i => i.Labels["alertname"] == "DiskWillFillIn4Hours");
        var diskDetail = await env.Viewer.DetailAsync(disk.Id);
        Assert.Equal(["0a5f2d7c61b8e394", "9e3c18b4d27a05f6"], diskDetail.Signals.Select(s => s.DedupKey).Order());
        Assert.Equal(["opened", "signal", "signal"], Kinds(diskDetail));
        var latency = Assert.Single(incidents, i => i.Labels["alertname"] == "HighLatency");
        Assert.Equal("c47d0e92a6f13b85", Assert.Single((await env.Viewer.DetailAsync(latency.Id)).Signals).DedupKey);

        // One alert of the group resolving leaves the incident open; the last one resolves it.
        var first = Intake.PayloadNode("alertmanager-grouped.json");
        var alerts = first["alerts"]!.AsArray();
        alerts[0]!["status"] = "resolved";
        alerts[0]!["endsAt"] = "2026-03-14T09:59:00Z";
        alerts.RemoveAt(2);
        alerts.RemoveAt(1);
        await (await env.Intake.PostJsonAsync(Intake.Webhook, first)).AssertSuccessAsync("one resolved");
        Assert.Equal("triggered", (await env.Viewer.DetailAsync(disk.Id)).Incident.Status);

        var second = Intake.PayloadNode("alertmanager-grouped.json");
        alerts = second["alerts"]!.AsArray();
        alerts[1]!["status"] = "resolved";
        alerts[1]!["endsAt"] = "2026-03-14T09:59:30Z";
        alerts.RemoveAt(2);
        alerts.RemoveAt(0);
        await (await env.Intake.PostJsonAsync(Intake.Webhook, second)).AssertSuccessAsync("both resolved");
        Assert.Equal("resolved", (await env.Viewer.DetailAsync(disk.Id)).Incident.Status);
        Assert.Equal("triggered", (await env.Viewer.DetailAsync(latency.Id)).Incident.Status);
    }

    [Fact]
    public async Task Webhook_Truncated_TimelineNoteSaysHowManyAlertsAreMissing()
    {
        await using var env = await Env.StartAsync();

        await (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-truncated.json"))).AssertSuccessAsync("truncated webhook");

        var incidents = await env.Viewer.IncidentsAsync();
        Assert.Equal(2, incidents.Count);
        var notes = new List<TimelineEntryView>();
        foreach (var i in incidents)
        {
            notes.AddRange((await env.Viewer.DetailAsync(i.Id)).Timeline.Where(t => t.Kind == "note"));
        }

        var note = Assert.Single(notes);
        Assert.Contains("truncated 3 alert(s)", note.Text);
        Assert.Contains("{}:{alertname=\"TargetDown\"}", note.Text);
        Assert.Equal("intake-bot", note.Actor);
    }

    [Fact]
    public async Task AlertsV2_FiringThenResentThenEnded_RefreshesExpiryThenResolves()
    {
        await using var env = await Env.StartAsync();

        var first = await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-firing.json"));
        await first.AssertSuccessAsync("firing");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal("Instance api-2:8080 down", incident.Title);
        Assert.Equal("api", incident.Service);
        var signal = Assert.Single((await env.Viewer.DetailAsync(incident.Id)).Signals);
        Assert.Equal("firing", signal.Status);
        Assert.Equal(Now.AddMinutes(5), signal.ExpiresAt); // no endsAt: alive for resolve_timeout (5m)
        // Prometheus sends no fingerprint; the dedup key is a stable hash of the label set.
        Assert.Equal(IntakeParsing.Fingerprint(signal.Labels), signal.DedupKey);

        // Prometheus re-sends firing alerts; each re-send extends the expiry.
        env.Time.Advance(TimeSpan.FromMinutes(1));
        await (await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-firing.json"))).AssertSuccessAsync("re-sent");
        var detail = await env.Viewer.DetailAsync(incident.Id);
        signal = Assert.Single(detail.Signals);
        Assert.Equal(Now.AddMinutes(6), signal.ExpiresAt);
        Assert.Equal(1, signal.FireCount);
        Assert.Equal(["opened", "signal"], Kinds(detail));
        Assert.Single(await env.Viewer.IncidentsAsync());

        env.Time.Advance(TimeSpan.FromMinutes(1));
        await (await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-ended.json"))).AssertSuccessAsync("ended");
        detail = await env.Viewer.DetailAsync(incident.Id);
        Assert.Equal("resolved", detail.Incident.Status);
        signal = Assert.Single(detail.Signals);
        Assert.Equal("resolved", signal.Status);
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T09:58:42.345Z"), signal.ResolvedAt);
        Assert.Null(signal.ExpiresAt);
        Assert.Equal("resolved", detail.Timeline.Last(t => t.Kind is not ("escalation" or "page" or "notification")).Kind);
    }

    [Fact]
    public async Task AlertsV2_NotResentWithinResolveTimeout_ExpiresAndResolves()
    {
        await using var env = await Env.StartAsync();
        await (await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-firing.json"))).AssertSuccessAsync("firing");
        var timers = env.Server.App.Services.GetRequiredService<IncidentTimers>();

        env.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await timers.SweepAsync(CancellationToken.None);
        Assert.Equal("triggered", Assert.Single(await env.Viewer.IncidentsAsync()).Status);

        env.Time.Advance(TimeSpan.FromSeconds(1));
        await timers.SweepAsync(CancellationToken.None);

        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal("resolved", incident.Status);
        var detail = await env.Viewer.DetailAsync(incident.Id);
        Assert.Equal(Now.AddMinutes(5), Assert.Single(detail.Signals).ResolvedAt);
        Assert.Contains(detail.Timeline, t => t.Kind == "signal" && t.Text.Contains("not re-sent before it expired at 10:05:00 UTC"));
    }

    [Fact]
    public async Task Events_PagerDutyExampleTrigger_Is202WithDedupKeyAndOpensIncident()
    {
        await using var env = await Env.StartAsync();

        // PagerDuty's documented trigger, verbatim: note its timestamp offset "+0000" (no colon).
        var response = await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-trigger.json"));

        await response.AssertSuccessAsync("PagerDuty example trigger");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;
        Assert.Equal("success", answer.Status);
        Assert.Equal("samplekeyhere", answer.DedupKey);
        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal(incident.Id, answer.IncidentId);
        Assert.Equal("Example alert on host1.example.com", incident.Title);
        Assert.Equal("P3", incident.Severity); // info: the fourth level
        var detail = await env.Viewer.DetailAsync(incident.Id);
        var signal = Assert.Single(detail.Signals);
        Assert.Equal("events", signal.Source);
        Assert.Equal(new DateTimeOffset(2015, 7, 17, 8, 42, 58, 315, TimeSpan.Zero), signal.FirstAt);
        Assert.Equal("postgres", signal.Labels["component"]);
        Assert.Equal("prod-datapipe", signal.Labels["group"]);
        Assert.Contains(detail.Timeline, t => t.Kind == "note" && t.Text.Contains("\"ping time\"") && t.Text.Contains("1500ms"));
    }

    [Fact]
    public async Task Events_TriggerWithoutDedupKey_GetsAGeneratedOne_EachTriggerItsOwnIncident()
    {
        await using var env = await Env.StartAsync();
        var body = Intake.PayloadNode("pagerduty-trigger.json");
        body.AsObject().Remove("dedup_key");

        var first = (await (await env.Intake.PostJsonAsync(Intake.Events, body)).Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;
        var second = (await (await env.Intake.PostJsonAsync(Intake.Events, body)).Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;

        Assert.Matches("^[0-9a-f]{32}$", first.DedupKey);
        Assert.NotEqual(first.DedupKey, second.DedupKey);
        Assert.NotEqual(first.IncidentId, second.IncidentId);
        Assert.Equal(first.DedupKey, Assert.Single((await env.Viewer.DetailAsync(first.IncidentId!.Value)).Signals).DedupKey);

        // The generated key is what acknowledge and resolve take.
        var ack = await env.Intake.PostJsonAsync(Intake.Events, new JsonObject { ["event_action"] = "acknowledge", ["dedup_key"] = first.DedupKey });
        Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        Assert.Equal("acknowledged", (await env.Viewer.DetailAsync(first.IncidentId.Value)).Incident.Status);
        Assert.Equal("triggered", (await env.Viewer.DetailAsync(second.IncidentId!.Value)).Incident.Status);
    }

    [Fact]
    public async Task Events_TriggerAcknowledgeResolve_FollowTheLifecycle()
    {
        await using var env = await Env.StartAsync();
        await (await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-trigger.json"))).AssertSuccessAsync("trigger");
        var id = Assert.Single(await env.Viewer.IncidentsAsync()).Id;

        env.Time.Advance(TimeSpan.FromMinutes(3));
        var ack = await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-acknowledge.json"));
        await ack.AssertSuccessAsync("acknowledge");
        Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        Assert.Equal(id, (await ack.Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!.IncidentId);
        var detail = await env.Viewer.DetailAsync(id);
        Assert.Equal("acknowledged", detail.Incident.Status);
        Assert.Equal(Now.AddMinutes(3), detail.Incident.AcknowledgedAt);
        Assert.Equal("acknowledged", detail.Timeline[^1].Kind);
        Assert.Equal("intake-bot", detail.Timeline[^1].Actor);

        // A second acknowledge changes nothing (and is still accepted, as PagerDuty does).
        await (await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-acknowledge.json"))).AssertSuccessAsync("second acknowledge");
        Assert.Equal(detail.Timeline.Count, (await env.Viewer.DetailAsync(id)).Timeline.Count);

        env.Time.Advance(TimeSpan.FromMinutes(7));
        var resolve = await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-resolve.json"));
        await resolve.AssertSuccessAsync("resolve");
        Assert.Equal(HttpStatusCode.Accepted, resolve.StatusCode);
        detail = await env.Viewer.DetailAsync(id);
        Assert.Equal("resolved", detail.Incident.Status);
        Assert.Equal(Now.AddMinutes(10), detail.Incident.ResolvedAt);
        Assert.Equal("resolved", Assert.Single(detail.Signals).Status);
    }

    [Fact]
    public async Task Events_ResolveByDedupKey_WithGroupBy_ResolvesTheGroupedIncident()
    {
        await using var env = await Env.StartAsync(Services + """

            incidents:
              group_by: [component]
            """);
        foreach (var key in new[] { "pg-replica-lag", "pg-connections" })
        {
            await (await env.Intake.PostJsonAsync(Intake.Events, Trigger(key, "db", "critical", $"postgres: {key}"))).AssertSuccessAsync(key);
        }

        var incident = Assert.Single(await env.Viewer.IncidentsAsync());
        Assert.Equal(2, (await env.Viewer.DetailAsync(incident.Id)).Signals.Count);

        // A resolve event carries only the dedup key, not the labels the trigger was grouped by.
        await (await env.Intake.PostJsonAsync(Intake.Events, Action("resolve", "pg-replica-lag"))).AssertSuccessAsync("resolve one");
        var detail = await env.Viewer.DetailAsync(incident.Id);
        Assert.Equal("resolved", Assert.Single(detail.Signals, s => s.DedupKey == "pg-replica-lag").Status);
        Assert.Equal("triggered", detail.Incident.Status);

        await (await env.Intake.PostJsonAsync(Intake.Events, Action("resolve", "pg-connections"))).AssertSuccessAsync("resolve other");
        Assert.Equal("resolved", (await env.Viewer.DetailAsync(incident.Id)).Incident.Status);
        Assert.Single(await env.Viewer.IncidentsAsync());
    }

    [Theory]
    [InlineData("escalate")]
    [InlineData("Trigger")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Events_UnknownEventAction_Is400ProblemNamingEventAction(string? action)
    {
        await using var env = await Env.StartAsync();
        var body = Intake.PayloadNode("pagerduty-trigger.json");
        body["event_action"] = action;

        var response = await env.Intake.PostJsonAsync(Intake.Events, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("event_action")[0].GetString();
        Assert.Contains("trigger, acknowledge or resolve", message);
        Assert.Empty(await env.Viewer.IncidentsAsync());
    }

    [Fact]
    public async Task Severity_MapThenExactIdThenConventionalNamesThenDefault()
    {
        await using var env = await Env.StartAsync(Services + """

            integrations:
              alertmanager:
                route:
                  map: { critical: P1, warning: P3 }
                  default_severity: P2
            """);
        var cases = new (string? Label, string Expected)[]
        {
            ("critical", "P1"), // map
            ("warning", "P3"),  // map
            ("P0", "P0"),       // a severity id as is
            ("page", "P0"),     // conventional name, not in the map: first level
            ("error", "P1"),    // conventional: second level
            ("info", "P3"),     // conventional: fourth level
            ("bogus", "P2"),    // unknown: default_severity
            (null, "P2"),       // no severity label: default_severity
        };
        var alerts = new JsonArray();
        foreach (var (label, _) in cases)
        {
            var labels = new JsonObject { ["alertname"] = "Sev-" + (label ?? "none") };
            if (label is not null)
            {
                labels["severity"] = label;
            }

            alerts.Add(new JsonObject { ["labels"] = labels, ["annotations"] = new JsonObject { ["summary"] = "sev " + (label ?? "none") } });
        }

        await (await env.Intake.PostJsonAsync(Intake.AlertsV2, alerts)).AssertSuccessAsync("alerts");

        // The events API has no map: critical, error, warning, info are the four levels in order.
        foreach (var severity in new[] { "critical", "error", "warning", "info" })
        {
            await (await env.Intake.PostJsonAsync(Intake.Events, Trigger("ev-" + severity, null, severity, "event " + severity))).AssertSuccessAsync(severity);
        }

        var byTitle = (await env.Viewer.IncidentsAsync()).ToDictionary(i => i.Title, i => i.Severity);
        foreach (var (label, expected) in cases)
        {
            Assert.True(byTitle["sev " + (label ?? "none")] == expected, $"alert severity '{label}' became {byTitle["sev " + (label ?? "none")]}, expected {expected}");
        }

        Assert.Equal("P0", byTitle["event critical"]);
        Assert.Equal("P1", byTitle["event error"]);
        Assert.Equal("P2", byTitle["event warning"]);
        Assert.Equal("P3", byTitle["event info"]);
    }

    [Fact]
    public async Task IntakeToken_MaySendSignals_ButReadsNothing()
    {
        await using var env = await Env.StartAsync();

        var trigger = await env.Intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-trigger.json"));
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-firing.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await env.Intake.PostJsonAsync(Intake.Webhook, Intake.Payload("alertmanager-firing.json"))).StatusCode);

        foreach (var path in new[] { "/api/v1/incidents", "/api/v1/status", "/api/v1/audit?tail=1", "/api/v1/incidents/1" })
        {
            var read = await env.Intake.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.Forbidden, $"intake token GET {path} -> {(int)read.StatusCode}");
            Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
            Assert.Contains("intake token", await read.Content.ReadAsStringAsync());
        }

        // Nor may it act on incidents, even the ones its own signals opened.
        var ack = await env.Intake.PostAsync("/api/v1/incidents/1/ack", null);
        Assert.Equal(HttpStatusCode.Forbidden, ack.StatusCode);
        Assert.Equal(3, (await env.Viewer.IncidentsAsync()).Count);
    }

    [Fact]
    public async Task ViewerToken_IsRefusedOnIntake_ResponderTokenIsAccepted()
    {
        await using var env = await Env.StartAsync();
        using var viewer = env.Server.Client(await env.Server.CreateTokenAsync("dashboards", "viewer"));
        using var responder = env.Server.Client(await env.Server.CreateTokenAsync("oncall-alice", "responder"));
        var bodies = new Dictionary<string, string>
        {
            [Intake.Webhook] = Intake.Payload("alertmanager-firing.json"),
            [Intake.AlertsV2] = Intake.Payload("prometheus-alerts-firing.json"),
            [Intake.Events] = Intake.Payload("pagerduty-trigger.json"),
        };

        foreach (var (path, body) in bodies)
        {
            var refused = await viewer.PostJsonAsync(path, body);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"viewer POST {path} -> {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("role 'viewer'", await refused.Content.ReadAsStringAsync());
        }

        Assert.Empty(await env.Viewer.IncidentsAsync());

        foreach (var (path, body) in bodies)
        {
            await (await responder.PostJsonAsync(path, body)).AssertSuccessAsync($"responder POST {path}");
        }

        var incidents = await env.Viewer.IncidentsAsync();
        Assert.Equal(3, incidents.Count);
        Assert.All(incidents, i => Assert.Equal("oncall-alice", i.OpenedBy));
    }

    [Fact]
    public async Task Dependency_OpenIncidentOnDb_InhibitsApiSignals_UntilItResolves()
    {
        await using var env = await Env.StartAsync();
        var db = (await (await env.Intake.PostJsonAsync(Intake.Events, Trigger("db-down", "db", "critical", "Primary database unreachable")))
            .Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;
        Assert.Equal("db", (await env.Viewer.DetailAsync(db.IncidentId!.Value)).Incident.Service);

        var api = (await (await env.Intake.PostJsonAsync(Intake.Events, Trigger("api-5xx", "api", "critical", "API answers 5xx")))
            .Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;
        var prometheus = await env.Intake.PostJsonAsync(Intake.AlertsV2, Intake.Payload("prometheus-alerts-firing.json"));
        await prometheus.AssertSuccessAsync("prometheus alert for api");

        var reason = $"dependency db has open incident #{db.IncidentId} (Primary database unreachable)";
        var apiDetail = await env.Viewer.DetailAsync(api.IncidentId!.Value);
        Assert.Equal("api", apiDetail.Incident.Service);
        Assert.Equal(reason, Assert.Single(apiDetail.Signals).InhibitedReason);
        var inhibited = Assert.Single(apiDetail.Timeline, t => t.Kind == "inhibited");
        Assert.Contains("does not page", inhibited.Text);
        Assert.DoesNotContain(apiDetail.Timeline, t => t.Kind == "signal");

        var alertIncident = Assert.Single(await env.Viewer.IncidentsAsync(), i => i.Title == "Instance api-2:8080 down");
        var alertDetail = await env.Viewer.DetailAsync(alertIncident.Id);
        Assert.Equal(reason, Assert.Single(alertDetail.Signals).InhibitedReason);
        Assert.Contains(alertDetail.Timeline, t => t.Kind == "inhibited");

        // The db incident itself is not inhibited: db depends on nothing.
        var dbDetail = await env.Viewer.DetailAsync(db.IncidentId.Value);
        Assert.Null(Assert.Single(dbDetail.Signals).InhibitedReason);
        Assert.DoesNotContain(dbDetail.Timeline, t => t.Kind == "inhibited");

        // Once db resolves, a new api signal pages again.
        await (await env.Intake.PostJsonAsync(Intake.Events, Action("resolve", "db-down"))).AssertSuccessAsync("resolve db");
        var later = (await (await env.Intake.PostJsonAsync(Intake.Events, Trigger("api-latency", "api", "critical", "API slow")))
            .Content.ReadFromJsonAsync<EventResponse>(VigilJson.Options))!;
        var laterDetail = await env.Viewer.DetailAsync(later.IncidentId!.Value);
        Assert.Null(Assert.Single(laterDetail.Signals).InhibitedReason);
        Assert.Contains(laterDetail.Timeline, t => t.Kind == "signal");
        Assert.DoesNotContain(laterDetail.Timeline, t => t.Kind == "inhibited");
    }

    /// <summary>
    /// The kinds of an incident's timeline entries, sorted: entries are ordered by when things happened, and a
    /// signal's entry carries the sender's time (startsAt), which is before Vigil opened the incident.
    /// </summary>
    /// <summary>The incident engine's timeline kinds; the escalation engine's own entries (paging) are covered by its tests.</summary>
    private static IEnumerable<string> Kinds(IncidentDetailView detail) =>
        detail.Timeline.Select(t => t.Kind).Where(k => k is not ("escalation" or "page" or "notification")).Order(StringComparer.Ordinal);

    private static JsonObject Trigger(string dedupKey, string? component, string severity, string summary)
    {
        var payload = new JsonObject { ["summary"] = summary, ["source"] = "monitor-1.example.com", ["severity"] = severity };
        if (component is not null)
        {
            payload["component"] = component;
        }

        return new JsonObject { ["event_action"] = "trigger", ["dedup_key"] = dedupKey, ["payload"] = payload };
    }

    private static JsonObject Action(string action, string dedupKey) =>
        new() { ["event_action"] = action, ["dedup_key"] = dedupKey };

    /// <summary>A server on fake time with an intake token and a viewer token.</summary>
    private sealed class Env : IAsyncDisposable
    {
        private Env(TestServer server, FakeTimeProvider time, HttpClient intake, HttpClient viewer)
        {
            Server = server;
            Time = time;
            Intake = intake;
            Viewer = viewer;
        }

        public TestServer Server { get; }

        public FakeTimeProvider Time { get; }

        /// <summary>An intake-role token named <c>intake-bot</c>.</summary>
        public HttpClient Intake { get; }

        public HttpClient Viewer { get; }

        public static async Task<Env> StartAsync(string config = Services)
        {
            var time = new FakeTimeProvider(Now);
            var server = await TestServer.StartAsync(config, time);
            var intake = server.Client(await server.CreateTokenAsync("intake-bot", "intake"));
            var viewer = server.Client(await server.CreateTokenAsync("viewer", "viewer"));
            return new Env(server, time, intake, viewer);
        }

        public async ValueTask DisposeAsync()
        {
            Intake.Dispose();
            Viewer.Dispose();
            await Server.DisposeAsync();
        }
    }
}
