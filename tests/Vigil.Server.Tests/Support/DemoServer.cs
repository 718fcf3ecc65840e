using System.Text.RegularExpressions;
using Vigil.Server.Demo;

namespace Vigil.Server.Tests.Support;

/// <summary>A real server on the demo's own config and fleet, with the demo's checks every second so a story takes seconds.</summary>
internal static class DemoServer
{
    public static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync(withDemoFleet: true);
        DemoFiles.ExtractTo(server.Dir.Path);
        var yaml = await File.ReadAllTextAsync(server.ConfigPath);
        foreach (var (name, value) in server.Fleet!.EnvironmentVariables())
        {
            yaml = Regex.Replace(yaml, @"\$\{" + name + @":-[^}]*\}", value);
        }

        yaml = Regex.Replace(yaml.Replace("every: 10s", "every: 1s", StringComparison.Ordinal), @"timeout: [35]s", "timeout: 1s");
        await File.WriteAllTextAsync(server.ConfigPath, yaml);
        using var admin = server.Admin();
        var reload = await admin.PostAsync("/api/v1/config/reload", null);
        Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync());
        return server;
    }
}
