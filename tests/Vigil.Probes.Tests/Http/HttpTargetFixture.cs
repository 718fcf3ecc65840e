using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Http;

/// <summary>One plain-HTTP Kestrel target with a route per behaviour, shared by the HTTP tests.</summary>
public sealed class HttpTargetFixture : IAsyncLifetime
{
    private TestWebServer? _server;

    internal TestWebServer Server => _server!;

    /// <summary>Set by a test to have <c>/advance</c> move this clock forward while answering.</summary>
    public FakeTimeProvider? Clock { get; set; }

    /// <summary>Completes when a request reaches <c>/hang</c>.</summary>
    public TaskCompletionSource HangReached { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Kestrel connection ids seen by <c>/conn</c>, one per request.</summary>
    public ConcurrentQueue<string> ConnectionIds { get; } = new();

    public string Url(string path) => Server.Url(path);

    public async Task InitializeAsync()
    {
        _server = await TestWebServer.StartAsync(app =>
        {
            app.MapGet("/ok", () => Results.Text("ok"));
            app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
            app.MapGet("/json", () => Results.Text(
                """{"status":"ok","version":"1.0","queue":{"depth":12},"checks":[{"name":"db","ok":true}],"odd name":"x","ratio":"0.5"}""",
                "application/json"));
            app.MapGet("/text", () => Results.Text("all good except one error"));
            app.MapGet("/notjson", () => Results.Text("<html>down</html>", "text/html"));
            app.MapGet("/redirect", () => Results.Redirect("/ok"));
            app.MapGet("/conn", (HttpContext ctx) =>
            {
                ConnectionIds.Enqueue(ctx.Connection.Id);
                return Results.Text("ok");
            });
            app.MapGet("/big", () => Results.Text(new string('a', 2 * 1024 * 1024) + "needle"));
            app.MapGet("/advance", () =>
            {
                Clock?.Advance(TimeSpan.FromSeconds(2));
                return Results.Text("ok");
            });
            app.MapGet("/hang", async (HttpContext ctx) =>
            {
                HangReached.TrySetResult();
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            });
            app.MapGet("/abort", (HttpContext ctx) => ctx.Abort());
            app.MapMethods("/echo", ["POST", "PUT", "GET"], async (HttpContext ctx) =>
            {
                using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                return Results.Text($"method={ctx.Request.Method} header={ctx.Request.Headers["X-Test"]} type={ctx.Request.ContentType} body={body}");
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
