using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>
/// A real server whose runbooks live in its temporary folder (so every step's working directory is a
/// temp folder), with helpers to start runs and follow them to their end over the real SSE stream.
/// </summary>
internal sealed class RunbookHarness : IAsyncDisposable
{
    private RunbookHarness(TestServer server) => Server = server;

    public TestServer Server { get; }

    public string RunbookDir => Server.Dir.File("runbooks");

    public static async Task<RunbookHarness> StartAsync(IReadOnlyDictionary<string, string> runbooks, string extraConfig = "", string environment = "dev",
        TimeProvider? time = null, string services = "  - id: web", TempDirectory? dir = null)
    {
        dir ??= new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        foreach (var (name, text) in runbooks)
        {
            await System.IO.File.WriteAllTextAsync(Path.Combine(dir.File("runbooks"), name), text);
        }

        await System.IO.File.WriteAllTextAsync(dir.File("vigil.yaml"), $"""
            vigil: {"{"} name: runbook-test, environment: {environment} {"}"}
            services:
            {services}
            runbooks:
              paths: [runbooks/]
            {extraConfig}
            """);
        return new RunbookHarness(await TestServer.StartAsync(dir: dir, time: time));
    }

    /// <summary>The helpers over a server started some other way (the demo server, with the demo's own runbooks).</summary>
    public static RunbookHarness Over(TestServer server) => new(server);

    public string File(string name) => Path.Combine(RunbookDir, name);

    /// <summary>POSTs a run; returns the status code and the run (when created) or the problem text.</summary>
    public async Task<(HttpStatusCode Status, RunView? Run, string Body)> StartRunAsync(object body, string? token = null)
    {
        using var client = Server.Client(token ?? Server.AdminToken);
        var response = await client.PostAsJsonAsync("/api/v1/runbook-runs", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonSerializer.Deserialize<RunView>(text, VigilJson.Options) : null, text);
    }

    public async Task<RunView> RunAsync(object body, string? token = null)
    {
        var (status, run, text) = await StartRunAsync(body, token);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {text}");
        return run!;
    }

    /// <summary>Reads the run's event stream until <paramref name="until"/> matches (default: the end event); returns the events read.</summary>
    public async Task<List<RunEventView>> EventsAsync(long runId, Func<RunEventView, bool>? until = null)
    {
        until ??= e => e.Type == RunEventType.End;
        using var client = Server.Admin();
        client.Timeout = TimeSpan.FromMinutes(2);
        using var response = await client.GetAsync($"/api/v1/runbook-runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<RunEventView>();
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                // The SSE event name and the JSON "type" stay the wire's snake_case names (step_end, not StepEnd).
                using var doc = JsonDocument.Parse(line[6..]);
                var type = doc.RootElement.GetProperty("type").GetString();
                Assert.Equal(type, name);
                Assert.Matches("^(status|step|output|confirm|step_end|end)$", type);
                var e = JsonSerializer.Deserialize<RunEventView>(line[6..], VigilJson.Options)!;
                events.Add(e);
                if (until(e))
                {
                    return events;
                }
            }
        }

        return events;
    }

    public async Task<RunView> EndAsync(long runId)
    {
        await EventsAsync(runId);
        return await GetAsync(runId);
    }

    public async Task<RunView> GetAsync(long runId)
    {
        using var client = Server.Admin();
        return (await client.GetFromJsonAsync<RunView>($"/api/v1/runbook-runs/{runId}", VigilJson.Options))!;
    }

    public async Task<string> LogAsync(long runId)
    {
        using var client = Server.Admin();
        return await client.GetStringAsync($"/api/v1/runbook-runs/{runId}/log");
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object? body = null, string? token = null)
    {
        using var client = Server.Client(token ?? Server.AdminToken);
        return await client.PostAsJsonAsync(path, body ?? new { });
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
