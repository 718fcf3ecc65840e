using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Notifications;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// The read and silence side of Alertmanager's API v2, driven by the real <c>amtool</c> from Debian's
/// prometheus-alertmanager package against a real server on 127.0.0.1: alerts read back, a silence added
/// with amtool shows in <c>vigil silence list</c> and holds Vigil's paging, and amtool expires it.
/// </summary>
public sealed class AlertmanagerApiTests
{
    private const string Amtool = "/usr/bin/amtool";

    private static string Config(Uri hook) => $$"""
        vigil: { name: am-api-test, environment: dev }
        services:
          - { id: api, name: API }
        people:
          - { id: alice, name: Alice, notify_via: [hook] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [person:alice] }
        notifiers:
          - id: hook
            webhook: { url: "{{new Uri(hook, "/hook")}}" }
        """;

    [Fact]
    public async Task Amtool_QueriesAlerts_AddsASilenceThatHoldsPaging_AndExpiresIt()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var server = await TestServer.StartAsync(Config(receiver.BaseAddress));
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        using var intake = server.Client(await server.CreateTokenAsync("prometheus", "intake"));
        var responder = await server.CreateTokenAsync("amtool", "responder");
        // amtool sends the token as a Basic password, the way its http config file offers.
        await File.WriteAllTextAsync(server.Dir.File("amtool.yml"), $"basic_auth: {{ username: amtool, password: \"{responder}\" }}\n");
        string[] Am(params string[] args) => [$"--alertmanager.url={server.Address}", $"--http.config.file={server.Dir.File("amtool.yml")}", .. args];

        // A silence made with amtool before the alert fires: the alert's incident is recorded but does not page.
        var added = await ExternalTool.RunAsync(Amtool, Am("silence", "add", "alertname=DiskFull", "--comment=cleaning up /var", "--duration=2h", "--author=alice"));
        Assert.True(added.Code == 0, added.ToString());
        var silenceId = added.Out.Trim();
        Assert.Matches("^[0-9]+$", silenceId);

        var listed = await server.CliAsync("silence", "list");
        Assert.Contains("alertname=DiskFull", listed.Out, StringComparison.Ordinal);
        Assert.Contains("cleaning up /var", listed.Out, StringComparison.Ordinal);

        await (await intake.PostJsonAsync(Intake.AlertsV2, Alerts(("DiskFull", "critical"), ("HighLatency", "critical")))).AssertSuccessAsync("alerts");
        var incidents = await Eventually.UntilAsync(() => server.Admin().IncidentsAsync(), l => l.Count == 2, store.NextCommitAsync, TimeSpan.FromSeconds(30), "two incidents");
        var disk = incidents.Single(i => i.Title.Contains("DiskFull", StringComparison.Ordinal));
        Assert.Single(incidents, i => i.Title.Contains("HighLatency", StringComparison.Ordinal));
        await Eventually.UntilAsync(() => server.Admin().DetailAsync(disk.Id), d => d.Timeline.Any(t => t.Text.StartsWith($"Paging held: silenced by #{silenceId}", StringComparison.Ordinal)),
            store.NextCommitAsync, TimeSpan.FromSeconds(30), "the silence holding DiskFull's page");
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Requests.Count), n => n >= 1, ct => Task.Delay(20, ct), TimeSpan.FromSeconds(30), "HighLatency paged");

        // amtool's default query shows active alerts only; --silenced alone the silenced ones, marked suppressed.
        var active = await AmJsonAsync(Am("alert", "query", "-o", "json"));
        Assert.Equal(["HighLatency"], Names(active));
        Assert.Equal(["DiskFull"], Names(await AmJsonAsync(Am("alert", "query", "--silenced", "-o", "json"))));
        var all = await AmJsonAsync(Am("alert", "query", "--active", "--silenced", "-o", "json"));
        Assert.Equal(["DiskFull", "HighLatency"], Names(all).Order());
        var diskAlert = all.AsArray().Single(a => a!["labels"]!["alertname"]!.GetValue<string>() == "DiskFull")!;
        Assert.Equal("suppressed", diskAlert["status"]!["state"]!.GetValue<string>());
        Assert.Equal(silenceId, diskAlert["status"]!["silencedBy"]![0]!.GetValue<string>());
        Assert.Equal("default", diskAlert["receivers"]![0]!["name"]!.GetValue<string>());
        var filtered = await AmJsonAsync(Am("alert", "query", "--active", "--silenced", "alertname=~High.*", "-o", "json"));
        Assert.Equal(["HighLatency"], Names(filtered));

        var silences = await AmJsonAsync(Am("silence", "query", "-o", "json"));
        var silence = Assert.Single(silences.AsArray())!;
        Assert.Equal(silenceId, silence["id"]!.GetValue<string>());
        Assert.Equal("active", silence["status"]!["state"]!.GetValue<string>());
        Assert.Equal("DiskFull", silence["matchers"]![0]!["value"]!.GetValue<string>());

        var expired = await ExternalTool.RunAsync(Amtool, Am("silence", "expire", silenceId));
        Assert.True(expired.Code == 0, expired.ToString());
        Assert.Empty((await AmJsonAsync(Am("silence", "query", "-o", "json"))).AsArray());
        Assert.DoesNotContain("alertname=DiskFull", (await server.CliAsync("silence", "list")).Out, StringComparison.Ordinal);

        // Expiring releases the hold: DiskFull pages now.
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Requests.Count), n => n >= 2, ct => Task.Delay(20, ct), TimeSpan.FromSeconds(30), "DiskFull paged once its silence expired");
        var audit = await server.Admin().GetStringAsync("/api/v1/audit?limit=1000");
        Assert.Contains("silence.add", audit, StringComparison.Ordinal);
        Assert.Contains("silence.expire", audit, StringComparison.Ordinal);
        Assert.Contains("\"amtool\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiV2_Reads_StatusReceiversGroups_AndBadInputIsA400NotA500()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var server = await TestServer.StartAsync(Config(receiver.BaseAddress));
        using var viewer = server.Client(await server.CreateTokenAsync("grafana", "viewer"));
        using var intake = server.Client(await server.CreateTokenAsync("prometheus", "intake"));
        await (await intake.PostJsonAsync(Intake.AlertsV2, Alerts(("DiskFull", "critical")))).AssertSuccessAsync("alerts");
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        await Eventually.UntilAsync(() => viewer.IncidentsAsync(), l => l.Count == 1, store.NextCommitAsync, TimeSpan.FromSeconds(30), "one incident");

        var status = await ExternalTool.RunAsync(Amtool, $"--alertmanager.url={server.Address}", "--http.config.file=/dev/null", "config", "show");
        Assert.NotEqual(0, status.Code); // no token: amtool reports the 401 rather than data
        var statusJson = JsonNode.Parse(await viewer.GetStringAsync("/api/v2/status"))!;
        Assert.Equal("disabled", statusJson["cluster"]!["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(statusJson["versionInfo"]!["version"]!.GetValue<string>()));
        Assert.Equal("default", JsonNode.Parse(await viewer.GetStringAsync("/api/v2/receivers"))![0]!["name"]!.GetValue<string>());
        var groups = JsonNode.Parse(await viewer.GetStringAsync("/api/v2/alerts/groups"))!.AsArray();
        Assert.Equal("DiskFull", Assert.Single(groups)!["labels"]!["alertname"]!.GetValue<string>());

        var badFilter = await viewer.GetAsync("/api/v2/alerts?filter=" + Uri.EscapeDataString("alertname"));
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("no operator", await badFilter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badFlag = await viewer.GetAsync("/api/v2/alerts?silenced=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.StatusCode);

        // A viewer reads but may not silence; a responder's silence with no end or an everything-matcher is refused with the field named.
        var forbidden = await viewer.PostAsJsonAsync("/api/v2/silences", new { matchers = new[] { new { name = "alertname", value = "DiskFull", isRegex = false } }, endsAt = DateTimeOffset.UtcNow.AddHours(1), comment = "x", createdBy = "g" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var responder = server.Client(await server.CreateTokenAsync("karma", "responder"));
        var noEnd = await responder.PostAsJsonAsync("/api/v2/silences", new { matchers = new[] { new { name = "alertname", value = "DiskFull", isRegex = false } }, comment = "x", createdBy = "k" });
        Assert.Equal(HttpStatusCode.BadRequest, noEnd.StatusCode);
        Assert.Contains("endsAt", await noEnd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var everything = await responder.PostAsJsonAsync("/api/v2/silences", new { matchers = new[] { new { name = "env", value = "prod", isRegex = false, isEqual = false } }, endsAt = DateTimeOffset.UtcNow.AddHours(1), comment = "x", createdBy = "k" });
        Assert.Equal(HttpStatusCode.BadRequest, everything.StatusCode);
        Assert.Contains("silence almost everything", await everything.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Replacing a silence (Alertmanager's edit: POST with its id) expires the old one and answers the new id.
        var first = await responder.PostAsJsonAsync("/api/v2/silences", new { matchers = new[] { new { name = "alertname", value = "DiskFull", isRegex = false } }, endsAt = DateTimeOffset.UtcNow.AddHours(1), comment = "first", createdBy = "k" });
        var firstId = JsonNode.Parse(await first.AssertSuccessAsync("first silence"))!["silenceID"]!.GetValue<string>();
        var second = await responder.PostAsJsonAsync("/api/v2/silences", new { id = firstId, matchers = new[] { new { name = "alertname", value = "DiskFull", isRegex = false } }, endsAt = DateTimeOffset.UtcNow.AddHours(2), comment = "longer", createdBy = "k" });
        var secondId = JsonNode.Parse(await second.AssertSuccessAsync("replacing silence"))!["silenceID"]!.GetValue<string>();
        Assert.NotEqual(firstId, secondId);
        var now = JsonNode.Parse(await viewer.GetStringAsync("/api/v2/silences"))!.AsArray();
        Assert.Equal(secondId, Assert.Single(now)!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v2/silence/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await responder.DeleteAsync("/api/v2/silence/not-a-number")).StatusCode);
    }

    private static async Task<JsonNode> AmJsonAsync(string[] args)
    {
        var run = await ExternalTool.RunAsync(Amtool, args);
        Assert.True(run.Code == 0, run.ToString());
        return JsonNode.Parse(run.Out.Trim() is { Length: > 0 } text ? text : "[]")!;
    }

    private static List<string> Names(JsonNode alerts) => alerts.AsArray().Select(a => a!["labels"]!["alertname"]!.GetValue<string>()).ToList();

    private static JsonNode Alerts(params (string Name, string Severity)[] alerts) => new JsonArray(alerts.Select(a => (JsonNode)new JsonObject
    {
        ["labels"] = new JsonObject { ["alertname"] = a.Name, ["service"] = "api", ["severity"] = a.Severity },
        ["annotations"] = new JsonObject { ["summary"] = $"{a.Name} on api-1" },
    }).ToArray());
}
