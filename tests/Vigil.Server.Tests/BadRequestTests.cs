using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

/// <summary>Bad input at the HTTP edge and at start-up: a clear 400 or one sentence, never a logged stack trace.</summary>
public sealed class BadRequestTests
{
    [Theory]
    [InlineData("/api/v1/incidents?limit=2147483647")]
    [InlineData("/api/v1/incidents?limit=0")]
    [InlineData("/api/v1/notifications?limit=1001")]
    [InlineData("/api/v1/runbook-runs?limit=2147483647")]
    [InlineData("/api/v1/runbook-runs?limit=0")]
    public async Task ListLimit_OutOfRange_Is400NamingTheRange(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Admin();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("must be between 1 and 1000", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryValue_OfTheWrongForm_Is400NamingValueAndForm_WithoutDotNetType()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Admin();

        using var response = await client.GetAsync("/api/v1/incidents?limit=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = doc.RootElement.GetProperty("detail").GetString();
        Assert.Equal("'limit' is \"abc\"; expected a whole number, like 42.", detail);
    }

    [Fact]
    public async Task ChildProcess_BadQueryValue_LogsNoStackTrace_AndBusyPort_IsOneLine()
    {
        using var cwd = new TempDirectory();
        var port = VigilProcess.FreePort();
        await using var demo = VigilProcess.Start(cwd.Path, "demo", "--listen", $"http://127.0.0.1:{port}", "--data", cwd.File("demo"));
        var address = await demo.WaitListeningAsync();
        var token = (await demo.WaitForOutputAsync(new System.Text.RegularExpressions.Regex("vgl_[A-Za-z0-9]+"), TimeSpan.FromSeconds(60))).Value;
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using (var bad = await client.GetAsync("/api/v1/incidents?limit=abc"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // A second server on the same port: one sentence, exit 1, no host log.
        await using var second = VigilProcess.Start(cwd.Path, "demo", "--listen", $"http://127.0.0.1:{port}", "--data", cwd.File("demo2"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.WaitListeningAsync());
        Assert.Equal(1, await second.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(
            $"vigil: Cannot listen on http://127.0.0.1:{port}: the address is already in use by another process (another Vigil?). Stop that process, or pick a free address with --listen URL.",
            second.Output.Trim());

        // The first server logged nothing about the bad query (its log is flushed by the time it exits).
        await demo.TerminateAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("BadHttpRequestException", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", demo.Output, StringComparison.Ordinal);
    }
}
