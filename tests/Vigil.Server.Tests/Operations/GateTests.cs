using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Operations;

/// <summary>Freezes, windows and incidents through the real API and CLI, as the deploy gate sees them.</summary>
public sealed class GateTests
{
    private const string Config = """
        vigil: { name: gate-test }
        services:
          - { id: api, depends_on: [db] }
          - { id: db }
          - { id: web }
        """;

    [Fact]
    public async Task Gate_FreezeIncidentAndWindow_EachBlock_WithEveryReason()
    {
        await using var server = await TestServer.StartAsync(Config);
        using var admin = server.Admin();

        var open = await server.CliAsync("gate", "--service", "api");
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Contains("may proceed", open.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await server.CliAsync("freeze", "--service", "api", "--reason", "release week")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("window", "create", "--service", "api", "--duration", "30m", "--reason", "db migration", "--blocks-deploys")).ExitCode);
        var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "db down", severity = "P1", service = "db" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // A P3 incident does not block: only paging severities do by default.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "typo", severity = "P3", service = "api" })).StatusCode);

        var blocked = await server.CliAsync("gate", "--service", "api", "-o", "json");
        Assert.Equal(1, blocked.ExitCode);
        var view = JsonSerializer.Deserialize<GateView>(blocked.Out, VigilJson.Options)!;
        Assert.False(view.Allowed);
        Assert.Equal(["frozen", "open_incident", "maintenance_window"], view.Reasons.Select(r => r.Code));
        Assert.Contains(view.Reasons, r => r.Message.Contains("on dependency db", StringComparison.Ordinal));
        Assert.Contains(view.Reasons, r => r.Message.Contains("release week", StringComparison.Ordinal));

        // web shares none of it.
        Assert.Equal(0, (await server.CliAsync("gate", "--service", "web")).ExitCode);

        var status = await server.CliAsync("status");
        Assert.Contains("FROZEN", status.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await server.CliAsync("unfreeze", "--service", "api")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("window", "cancel", "1", "--reason", "done early")).ExitCode);
        var id = (await created.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;
        (await admin.PostAsync($"/api/v1/incidents/{id}/resolve", null)).EnsureSuccessStatusCode();

        var clear = await server.CliAsync("gate", "--service", "api");
        Assert.True(clear.ExitCode == 0, clear.ToString());

        var audit = await server.CliAsync("audit", "tail", "-n", "50");
        foreach (var action in new[] { "freeze.add", "freeze.lift", "window.create", "window.cancel" })
        {
            Assert.Contains(action, audit.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Operations_BadInput_ClearErrors_NothingStored()
    {
        await using var server = await TestServer.StartAsync(Config);

        var noReason = await server.CliAsync("freeze", "--service", "api", "--reason", " ");
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("reason", noReason.Error, StringComparison.Ordinal);
        var unknown = await server.CliAsync("freeze", "--service", "nope", "--reason", "x");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'nope' is not a configured service", unknown.Error, StringComparison.Ordinal);
        var badDuration = await server.CliAsync("window", "create", "--service", "api", "--duration", "forever", "--reason", "x");
        Assert.Equal(2, badDuration.ExitCode);
        Assert.Contains("duration", badDuration.Error, StringComparison.Ordinal);
        var unfreezeNothing = await server.CliAsync("unfreeze");
        Assert.Equal(1, unfreezeNothing.ExitCode);
        Assert.Contains("no global freeze", unfreezeNothing.Error, StringComparison.Ordinal);
        var gateUnknown = await server.CliAsync("gate", "--service", "nope");
        Assert.Equal(1, gateUnknown.ExitCode);
        Assert.Contains("No service 'nope'", gateUnknown.Error, StringComparison.Ordinal);

        using var admin = server.Admin();
        Assert.Empty((await admin.GetFromJsonAsync<List<FreezeView>>("/api/v1/freezes", VigilJson.Options))!);
        Assert.Empty((await admin.GetFromJsonAsync<List<WindowView>>("/api/v1/windows", VigilJson.Options))!);
    }
}
