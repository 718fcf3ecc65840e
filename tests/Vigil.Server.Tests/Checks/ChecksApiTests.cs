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
              - id: retried
                heartbeat: { period: 1h, grace: 5m }
                every: 1h
                fail_after: 3
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
        var url = Assert.Single(checks!, c => c.Check == "nightly").HeartbeatUrl;
        Assert.StartsWith(_server.Address.ToString().TrimEnd('/') + "/api/v1/heartbeats/", url);

        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url + "/fail", null)).StatusCode);
        var failed = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "nightly");
        Assert.Equal("critical", failed.State);
        Assert.Equal("exec", failed.Reason);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url + "/0")).StatusCode);
        var ok = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "nightly");
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

    [Fact]
    public async Task FailingInsideFailAfter_ShowsPendingWithTheTimeLeft_ThenCritical()
    {
        using var admin = _server.Admin();
        var url = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "retried").HeartbeatUrl;
        using var anonymous = _server.Client();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url + "/fail", null)).StatusCode);
        var pending = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "retried");

        Assert.Equal("pending", pending.State);
        var p = Assert.IsType<PendingView>(pending.Pending);
        Assert.Equal(("critical", "exec", 1, 3), (p.Toward, p.Reason, p.Failures, p.FailAfter));
        // Two more results, one interval (1h) apart, from the first failure.
        Assert.Equal(p.Since + TimeSpan.FromHours(2), p.Until);
        Assert.InRange(p.SecondsLeft, 1, 7200);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url + "/fail", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url + "/fail", null)).StatusCode);
        var critical = (await admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks", VigilJson.Options))!.Single(c => c.Check == "retried");
        Assert.Equal("critical", critical.State);
        Assert.Null(critical.Pending);
    }
}
