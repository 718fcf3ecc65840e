using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;
using Vigil.Server.Demo;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>
/// The demo's blue-green runbook on the real demo server and fleet, with real bash and python3: a healthy green takes the
/// website's traffic; an unhealthy green takes the on_fail branch and blue keeps serving.
/// </summary>
public sealed class DemoBlueGreenTests
{
    [Fact]
    public async Task HealthyGreen_IsBroughtUp_GatedAndSwappedIn()
    {
        await using var h = RunbookHarness.Over(await DemoServer.StartAsync());
        var web = h.Server.Fleet!.Find("web")!;
        Assert.Equal("blue", web.Slot);
        Assert.Equal(DemoMode.Down, web.ModeOf("green"));

        var run = await h.EndAsync((await h.RunAsync(Swap(h))).Id);
        var log = await h.LogAsync(run.Id);

        Assert.True(run.Status == RunStatus.Succeeded, log);
        Assert.Equal(["bring-up", "green-healthy", "switch", "verify", "bake"], run.Steps!.Select(s => s.Name));
        Assert.Equal("green", web.Slot);
        Assert.Equal(DemoMode.Healthy, web.ModeOf("green"));
        Assert.Contains("green is healthy", log, StringComparison.Ordinal);
        using var probe = new HttpClient();
        Assert.Contains("\"slot\":\"green\"", await probe.GetStringAsync(web.Url + "/"), StringComparison.Ordinal);

        // The fleet's state shows the swap, and each change of the fleet is on the audit trail.
        using var admin = h.Server.Admin();
        var view = Assert.Single((await admin.GetFromJsonAsync<List<FleetTargetView>>("/api/v1/demo/fleet", VigilJson.Options))!, t => t.Name == "web");
        Assert.Equal("green", view.Slot);
        Assert.Equal([("blue", false), ("green", true)], view.Slots!.Select(s => (s.Name, s.Live)));
        var audit = await h.Server.CliAsync("audit", "tail", "-n", "80");
        Assert.Contains("demo.fleet.start", audit.Out, StringComparison.Ordinal);
        Assert.Contains("demo.fleet.serve", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhealthyGreen_TakesTheRollBackBranch_AndBlueKeepsServing()
    {
        await using var h = RunbookHarness.Over(await DemoServer.StartAsync());
        var web = h.Server.Fleet!.Find("web")!;
        using var admin = h.Server.Admin();
        // A bad release on green: it runs, but answers 500. Bringing it up leaves it as it is.
        var broken = await admin.PostAsJsonAsync("/api/v1/demo/fleet/web", new { mode = "failing", slot = "green" });
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);

        var run = await h.EndAsync((await h.RunAsync(Swap(h))).Id);
        var log = await h.LogAsync(run.Id);

        Assert.True(run.Status == RunStatus.Failed, log);
        Assert.Equal(
            [("bring-up", StepStatus.Succeeded), ("green-healthy", StepStatus.Failed), ("serve-blue", StepStatus.Skipped), ("stop-green", StepStatus.Succeeded),
                ("verify-blue", StepStatus.Succeeded), ("report", StepStatus.Failed)],
            run.Steps!.Select(s => (s.Name, s.Status)));
        Assert.Contains("[vigil] on_fail: the failure goes to roll-back-to-blue", log, StringComparison.Ordinal);
        Assert.Contains("try 1: 500", log, StringComparison.Ordinal);
        Assert.Equal("blue", web.Slot);
        Assert.Equal(DemoMode.Down, web.ModeOf("green"));
        using var probe = new HttpClient();
        Assert.Contains("\"slot\":\"blue\"", await probe.GetStringAsync(web.Url + "/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FleetSlotCommands_RefuseWhatDoesNotExist_AndNeedAnOperator()
    {
        await using var server = await DemoServer.StartAsync();
        using var admin = server.Admin();

        var noSlots = await admin.PostAsJsonAsync("/api/v1/demo/fleet/api", new { serve = "green" });
        Assert.Equal(HttpStatusCode.BadRequest, noSlots.StatusCode);
        Assert.Contains("'api' has no slots", await noSlots.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var purple = await admin.PostAsJsonAsync("/api/v1/demo/fleet/web", new { start = "purple" });
        Assert.Contains("slots are blue and green", await purple.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var both = await admin.PostAsJsonAsync("/api/v1/demo/fleet/web", new { mode = "healthy", serve = "green" });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal("blue", server.Fleet!.Find("web")!.Slot);

        var viewerToken = await server.CreateTokenAsync("watcher", "viewer");
        using var viewer = server.Client(viewerToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/demo/fleet/web", new { serve = "green" })).StatusCode);
        Assert.Equal("blue", server.Fleet!.Find("web")!.Slot);
    }

    private static object Swap(RunbookHarness h) => new
    {
        runbook = "blue-green",
        procedure = "swap-to-green",
        @params = new Dictionary<string, string> { ["token"] = h.Server.AdminToken, ["vigil-url"] = h.Server.Address.ToString().TrimEnd('/') },
        yes = true,
    };
}
