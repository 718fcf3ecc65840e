using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Vigil.Cli;
using Vigil.Server.Api;
using Vigil.Server.Hosting;
using Demo = Vigil.Server.Demo;

namespace Vigil.Server.Tests.Support;

/// <summary>
/// A real Vigil server on 127.0.0.1 with a free port, a temporary config file and a real SQLite
/// file, started in-process through the same composition root as <c>vigil serve</c>.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string MinimalConfig = """
        vigil:
          name: test
          environment: dev
        services:
          - id: web
            name: Web
        """;

    private TestServer(TempDirectory dir, WebApplication app, Uri address, string adminToken)
    {
        Dir = dir;
        App = app;
        Address = address;
        AdminToken = adminToken;
    }

    public TempDirectory Dir { get; }

    public WebApplication App { get; }

    public Uri Address { get; }

    public string AdminToken { get; }

    public string ConfigPath => Dir.File("vigil.yaml");

    public string DataDirectory => Dir.File("data");

    /// <summary>The demo fleet, when started with <c>withDemoFleet</c> (so its routes are served too).</summary>
    public Demo.DemoFleet? Fleet { get; private init; }

    public static async Task<TestServer> StartAsync(string config = MinimalConfig, TimeProvider? time = null, TempDirectory? dir = null, bool withDemoFleet = false,
        Func<ServerOptions, ServerOptions>? configure = null)
    {
        var fleet = withDemoFleet ? Demo.DemoFleet.Start(time ?? TimeProvider.System) : null;
        dir ??= new TempDirectory();
        if (!File.Exists(dir.File("vigil.yaml")))
        {
            await File.WriteAllTextAsync(dir.File("vigil.yaml"), config);
        }

        var options = new ServerOptions
        {
            ConfigPath = dir.File("vigil.yaml"),
            DataDirectory = dir.File("data"),
            Listen = "http://127.0.0.1:0",
            Time = time ?? TimeProvider.System,
            Extend = fleet is null ? null : b => Demo.DemoEndpoints.AddDemoFleet(b, fleet),
            ExtendApi = fleet is null ? null : Demo.DemoEndpoints.MapDemoEndpoints,
        };
        var prepared = await VigilServer.PrepareAsync(configure is null ? options : configure(options), CancellationToken.None);
        Assert.True(prepared.App is not null, string.Join("\n", prepared.Errors));
        await prepared.App!.StartAsync();
        var token = prepared.NewAdminToken ?? (await File.ReadAllTextAsync(dir.File("data/admin.token"))).Trim();
        return new TestServer(dir, prepared.App, VigilServer.ListeningAddress(prepared.App), token) { Fleet = fleet };
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Admin() => Client(AdminToken);

    public async Task<string> CreateTokenAsync(string name, string role)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name, role });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedTokenView>(Http.VigilJson.Options);
        return created!.Secret;
    }

    /// <summary>Runs the CLI in-process against this server; returns exit code and both streams.</summary>
    public Task<CliRun> CliAsync(params string[] args) => CliWithInputAsync(null, args);

    /// <summary>Runs the CLI in-process with <paramref name="input"/> as what the user types (null: not a terminal).</summary>
    public async Task<CliRun> CliWithInputAsync(string? input, params string[] args)
    {
        var all = new List<string>(args) { "--server", Address.ToString().TrimEnd('/') };
        if (!args.Contains("--token"))
        {
            all.AddRange(["--token", AdminToken]);
        }

        return await CliRun.RunAsync([.. all], Dir.Path, input: input);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Fleet is not null)
        {
            await Fleet.DisposeAsync();
        }

        Dir.Dispose();
    }
}
