using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

public sealed class TokenApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_ThenUse_ThenRevoke_TokenStopsWorkingAndEveryStepIsAudited()
    {
        var secret = await _server.CreateTokenAsync("responder-1", "responder");
        using var client = _server.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/status")).StatusCode);

        using var admin = _server.Admin();
        var list = await admin.GetFromJsonAsync<List<TokenView>>("/api/v1/tokens", VigilJson.Options);
        var token = Assert.Single(list!, t => t.Name == "responder-1");
        Assert.Equal(secret[..12], token.Prefix);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/tokens"));

        var revoke = await admin.DeleteAsync($"/api/v1/tokens/{token.Id}?reason=rotation");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/status")).StatusCode);

        var audit = await admin.GetFromJsonAsync<List<AuditEntry>>("/api/v1/audit?tail=10", VigilJson.Options);
        Assert.Contains(audit!, e => e.Action == "token.create" && e.Target == $"token/{token.Id}" && e.Actor == "admin");
        var revoked = Assert.Single(audit!, e => e.Action == "token.revoke");
        Assert.Equal("rotation", revoked.Reason);
        Assert.Contains("\"revokedAt\"", revoked.After);
        Assert.DoesNotContain("\"revokedAt\"", revoked.Before);
        Assert.DoesNotContain(secret, string.Join("", audit!.Select(e => e.After)));
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"role\":\"root\"}", "role", "not one of")]
    [InlineData("{\"name\":\"bad name!\",\"role\":\"viewer\"}", "name", "not valid")]
    [InlineData("{\"role\":\"viewer\"}", "name", "needs a name")]
    [InlineData("{\"name\":\"x\",\"role\":\"viewer\",\"extra\":1}", "extra", "not valid JSON for this request")]
    [InlineData("{\"name\":\"x\",\"role\":\"viewer\"", "body", "not valid JSON")]
    [InlineData("[1,2,3]", "body", "not valid JSON")]
    [InlineData("null", "body", "not null")]
    [InlineData("{\"name\":5,\"role\":\"viewer\"}", "name", "not valid JSON")]
    public async Task Create_BadBody_Is400ProblemWithTheField(string body, string field, string message)
    {
        using var admin = _server.Admin();
        var response = await admin.PostAsync("/api/v1/tokens", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = doc.RootElement.GetProperty("errors");
        var key = errors.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n.Contains(field, StringComparison.OrdinalIgnoreCase));
        Assert.True(key is not null, $"no error for '{field}' in {errors}");
        Assert.Contains(message, errors.GetProperty(key!)[0].GetString());
    }

    [Fact]
    public async Task Create_WrongContentType_Is415()
    {
        using var admin = _server.Admin();
        var response = await admin.PostAsync("/api/v1/tokens", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Create_BodyOverLimit_Is413_AndNothingStored()
    {
        using var admin = _server.Admin();
        var huge = "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\",\"role\":\"viewer\"}";
        var response = await admin.PostAsync("/api/v1/tokens", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var tokens = await admin.GetFromJsonAsync<List<TokenView>>("/api/v1/tokens?all=true", VigilJson.Options);
        Assert.Single(tokens!);
    }

    [Fact]
    public async Task Create_DuplicateActiveName_Is409()
    {
        await _server.CreateTokenAsync("twice", "viewer");
        using var admin = _server.Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "twice", role = "viewer" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/tokens/abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/tokens/999", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/tokens/-1", HttpStatusCode.BadRequest)]
    public async Task Revoke_BadOrUnknownId_IsProblem(string path, HttpStatusCode expected)
    {
        using var admin = _server.Admin();
        var response = await admin.DeleteAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/v1/audit?limit=abc", "limit")]
    [InlineData("/api/v1/tokens?all=maybe", "all")]
    [InlineData("/api/v1/checks/web/home/history?since=200000w", "since")]
    public async Task BadQueryValue_Is400ProblemSayingWhich(string path, string parameter)
    {
        using var admin = _server.Admin();
        var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        using var admin = _server.Admin();
        var response = await admin.GetAsync("/api/v1/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AdminTokenFile_IsOwnerOnly_AndOpenApiServed()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "admin.token"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);

        using var anonymous = _server.Client();
        var openapi = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/tokens", openapi);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
    }
}
