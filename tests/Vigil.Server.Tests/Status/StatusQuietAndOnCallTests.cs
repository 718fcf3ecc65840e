using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Status;

/// <summary>
/// <c>vigil status</c> and <c>GET /api/v1/status</c> show who is on call now and the maintenance windows and
/// silences in force, against a real server; silences take Alertmanager's four matcher types.
/// </summary>
public sealed class StatusQuietAndOnCallTests : IAsyncLifetime
{
    // The config window recurs every minute for a day, so it is in force whenever the test runs.
    private const string Config = """
        vigil: { name: quiet, environment: dev }
        services:
          - id: web
            name: Web
          - id: db
            name: Database
        people:
          - { id: alice, name: Alice Example, email: alice@example.com }
        schedules:
          - id: primary
            timezone: UTC
            layers:
              - { rotation: weekly, handoff: "Mon 09:00", members: [alice] }
        maintenance:
          - { id: patching, cron: "* * * * *", duration: 1d, timezone: UTC, services: [db], description: nightly patching }
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Config);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Status_WithWindowSilenceAndSchedule_ShowsThemInJsonAndTable()
    {
        using var client = _server.Client(_server.AdminToken);
        (await client.PostAsJsonAsync("/api/v1/windows", new { services = new[] { "web" }, duration = "2h", reason = "disk swap" })).EnsureSuccessStatusCode();
        var silenceAdd = await _server.CliAsync("silence", "add", "--match", "service=web", "--match", "env!=staging", "--match", "check!~smoke-.*",
            "--duration", "1h", "--comment", "known flaky");
        Assert.True(silenceAdd.ExitCode == 0, silenceAdd.ToString());

        var status = await client.GetFromJsonAsync<StatusView>("/api/v1/status", VigilJson.Options);

        Assert.Equal(["config:patching", "#1"], status!.Windows!.Select(w => w.Id).Order(StringComparer.Ordinal).Reverse());
        var adHoc = Assert.Single(status.Windows!, w => w.Id == "#1");
        Assert.Equal(["web"], adHoc.Services);
        Assert.Equal("admin", adHoc.CreatedBy);
        var silence = Assert.Single(status.Silences!);
        Assert.Equal(["service=web", "env!=staging", "check!~smoke-.*"], silence.Matchers);
        var onCall = Assert.Single(status.OnCall!);
        Assert.Equal(("primary", "alice", "Alice Example"), (onCall.Schedule, onCall.Person, onCall.PersonName));

        var table = await _server.CliAsync("status");
        Assert.True(table.ExitCode == 0, table.ToString());
        var text = Plain(table.Out);
        Assert.Contains("on call primary: Alice Example (alice)", text, StringComparison.Ordinal);
        Assert.Contains("MAINTENANCE  config:patching on db", text, StringComparison.Ordinal);
        Assert.Contains("nightly patching", text, StringComparison.Ordinal);
        Assert.Contains("MAINTENANCE  #1 on web", text, StringComparison.Ordinal);
        Assert.Contains("by admin: disk swap", text, StringComparison.Ordinal);
        Assert.Contains($"SILENCED  #{silence.Id} service=web, env!=staging, check!~smoke-.*", text, StringComparison.Ordinal);

        var json = await _server.CliAsync("status", "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("alice", doc.RootElement.GetProperty("onCall")[0].GetProperty("person").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("windows").GetArrayLength());
        Assert.Equal("env!=staging", doc.RootElement.GetProperty("silences")[0].GetProperty("matchers")[1].GetString());
    }

    [Fact]
    public async Task Status_SilenceExpired_IsNoLongerShown()
    {
        using var client = _server.Client(_server.AdminToken);
        var created = await client.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=web", "check!~db|cache" }, duration = "1h", comment = "quiet" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var silence = await created.Content.ReadFromJsonAsync<SilenceView>(VigilJson.Options);
        Assert.Equal(["service=web", "check!~db|cache"], silence!.Matchers);
        Assert.Single((await client.GetFromJsonAsync<StatusView>("/api/v1/status", VigilJson.Options))!.Silences!);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/silences/{silence.Id}/expire", null)).StatusCode);

        Assert.Empty((await client.GetFromJsonAsync<StatusView>("/api/v1/status", VigilJson.Options))!.Silences!);
        var table = await _server.CliAsync("status");
        Assert.DoesNotContain("SILENCED", table.Out, StringComparison.Ordinal);
        Assert.Contains("MAINTENANCE", table.Out, StringComparison.Ordinal);
    }

    /// <summary>The CLI's text without its colour codes.</summary>
    private static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");

    [Theory]
    [InlineData("service!web", "matchers[0]", "'!' at character 8 must be followed by '=' or '~'")]
    [InlineData("service!~(", "matchers[0]", "is not a valid regex")]
    [InlineData("env!=prod", "matchers", "would silence almost everything")]
    public async Task SilenceAdd_BadOrTooBroadMatcher_Is400NamingTheMatcher(string matcher, string field, string message)
    {
        using var client = _server.Client(_server.AdminToken);

        var response = await client.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { matcher }, duration = "1h", comment = "c" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = doc.RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(message, errors[0].GetString(), StringComparison.Ordinal);

        var cli = await _server.CliAsync("silence", "add", "--match", matcher, "--duration", "1h", "--comment", "c");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains(message, cli.Error, StringComparison.Ordinal);
        Assert.Empty(await client.GetFromJsonAsync<List<SilenceView>>("/api/v1/silences", VigilJson.Options) ?? []);
    }
}
