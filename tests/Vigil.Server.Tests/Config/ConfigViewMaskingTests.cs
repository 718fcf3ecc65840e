using System.Net.Http.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Config;

public sealed class ConfigViewMaskingTests
{
    [Fact]
    public async Task GetConfig_AsViewer_MasksUrlCredentialsHeadersAndEnv()
    {
        await using var server = await TestServer.StartAsync("""
            vigil: { name: test }
            services:
              - id: web
                checks:
                  - id: health
                    every: 1h
                    http:
                      url: "https://monitor:pa55word@127.0.0.1:1/health?access_token=at-556677"
                      headers: { Authorization: "Basic dXNlcjpwYXNz" }
            notifiers:
              - id: pager
                command: { run: ./page.sh, env: { PAGER_KEY: "pk-998877" } }
            """);
        var viewer = await server.CreateTokenAsync("config-viewer", "viewer");
        using var client = server.Client(viewer);

        var view = await client.GetFromJsonAsync<ConfigView>("/api/v1/config", VigilJson.Options);

        Assert.DoesNotContain("pa55word", view!.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("at-556677", view.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", view.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("pk-998877", view.Yaml, StringComparison.Ordinal);
        Assert.Contains("https://monitor:***@127.0.0.1:1/health?access_token=***", view.Yaml, StringComparison.Ordinal);
    }
}
