using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Config;
using Vigil.Server.Api;
using Vigil.Server.Demo;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

public sealed class DemoTests
{
    [Fact]
    public void EmbeddedDemoConfig_IsValid()
    {
        using var dir = new TempDirectory();
        var path = DemoFiles.ExtractTo(dir.Path);

        var result = ConfigLoader.Load(path, _ => null);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(["web", "api", "checkout", "db", "secure", "ops"], result.Config!.Services.Select(s => s.Id));
    }

    [Fact]
    public async Task VigilDemo_StartsFromAnyFolder_PrintsTokenAndCommandsTheFleet()
    {
        using var cwd = new TempDirectory();
        var port = VigilProcess.FreePort();
        await using var demo = VigilProcess.Start(cwd.Path, "demo", "--listen", $"http://127.0.0.1:{port}", "--data", cwd.File("demo"));
        var address = await demo.WaitListeningAsync();

        var token = await WaitForToken(demo);
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var status = await client.GetFromJsonAsync<StatusView>("/api/v1/status", VigilJson.Options);
        Assert.Equal("vigil-demo", status!.Name);
        Assert.Equal(6, status.Services.Count);

        var fleet = await client.GetFromJsonAsync<List<FleetTargetView>>("/api/v1/demo/fleet", VigilJson.Options);
        var api = Assert.Single(fleet!, t => t.Name == "api");
        using var probe = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync(api.Url + "/health")).StatusCode);

        var set = await client.PostAsJsonAsync("/api/v1/demo/fleet/api", new { mode = "failing", @for = "5m" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await probe.GetAsync(api.Url + "/health")).StatusCode);

        var down = await client.PostAsJsonAsync("/api/v1/demo/fleet/api", new { mode = "down" });
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync(api.Url + "/health"));

        var bad = await client.PostAsJsonAsync("/api/v1/demo/fleet/api", new { mode = "sideways" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<string> WaitForToken(VigilProcess demo) =>
        (await demo.WaitForOutputAsync(new Regex(@"vgl_[0-9A-Za-z]{40}"), TimeSpan.FromSeconds(10))).Value;
}
