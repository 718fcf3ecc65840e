using System.Net;
using System.Net.Http.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Checks;

public sealed class ChecksApiTests : IAsyncLifetime
{
    private const string Config = """
        vigil:
          name: checks-api
          environment: dev
        services:
          - id: jobs
            checks:
              - id: nightly
                heartbeat: { period: 1h, grace: 5m }
                every: 30s
              - id: off
                tcp: { host: 127.0.0.1, port: 1 }
                paused: true
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Config);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HeartbeatUrl_ShownToOperatorsOnly_AndAPingTurnsAFailureBackToOk()
    {
        using var viewer = _server.Client(await _server.CreateTokenAsync("hb-viewer", "viewer"));
        var asViewer = await viewer.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options);
        Assert.All(asViewer!, c => Assert.Null(c.HeartbeatUrl));

        using var admin = _server.Admin();
        var checks = await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options);
        var url = Assert.Single(checks!, c => c.Kind == "heartbeat").HeartbeatUrl;
        Assert.StartsWith(_server.Address.ToString().TrimEnd('/') + "/api/v1/heartbeats/", url);

        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url + "/fail", null)).StatusCode);
        var failed = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Kind == "heartbeat");
        Assert.Equal("critical", failed.State);
        Assert.Equal("exec", failed.Reason);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url + "/0")).StatusCode);
        var ok = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Kind == "heartbeat");
        Assert.Equal("ok", ok.State);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/api/v1/heartbeats/not-a-token", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync(url + "/999", null)).StatusCode);
    }

    [Fact]
    public async Task PausedInConfig_StartsPaused_AndPauseNeedsAReason()
    {
        using var admin = _server.Admin();
        var off = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "off");
        Assert.Equal("paused", off.State);
        Assert.Equal("config", off.PausedBy);

        var noReason = await admin.PostAsJsonAsync("/api/v1/checks/jobs/nightly/pause", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);

        var unknown = await admin.PostAsJsonAsync("/api/v1/checks/jobs/nope/pause", new { reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
