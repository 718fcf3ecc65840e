using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Auth;
using Vigil.Server.Auth;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

/// <summary>
/// Every route the running server maps, found from its endpoint data source (so a route added
/// later is covered without touching this test), sent over real HTTP with no token and with a
/// viewer token.
/// </summary>
public sealed class RouteRoleMatrixTests : IAsyncLifetime
{
    private static readonly HashSet<string> MutatingMethods = ["POST", "PUT", "PATCH", "DELETE"];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(withDemoFleet: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MutatingRoutes_AnonymousAndViewer_AreRefused()
    {
        var viewer = await _server.CreateTokenAsync("matrix-viewer", "viewer");
        var routes = Routes().Where(r => MutatingMethods.Contains(r.Method)).ToList();
        Assert.Contains(routes, r => r.Path.StartsWith("/api/v1/demo/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path.StartsWith("/api/v1/checks/", StringComparison.Ordinal));
        using var anonymous = _server.Client();
        using var viewerClient = _server.Client(viewer);

        foreach (var (method, path, _, _) in routes.Where(r => !r.Anonymous))
        {
            var anon = await SendAsync(anonymous, method, path);
            Assert.True(anon.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} anonymous -> {(int)anon.StatusCode}");
            Assert.Equal("application/problem+json", anon.Content.Headers.ContentType?.MediaType);

            var asViewer = await SendAsync(viewerClient, method, path);
            Assert.True(asViewer.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} viewer -> {(int)asViewer.StatusCode}");
            Assert.Equal("application/problem+json", asViewer.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public void EveryRoute_DeclaresARoleOrAnonymous_AndAnonymousRoutesOnlyRead()
    {
        foreach (var (method, path, role, anonymous) in Routes())
        {
            Assert.True(role is not null || anonymous, $"{method} {path} declares no role (it would default to admin; declare it)");
            Assert.False(anonymous && MutatingMethods.Contains(method) && SecretInPath(method, path) is null,
                $"{method} {path} mutates without a token and names no secret in its path");
        }
    }

    [Fact]
    public async Task ApiReadRoutes_Anonymous_Get401()
    {
        using var anonymous = _server.Client();
        foreach (var (method, path, _, isAnonymous) in Routes().Where(r => r.Method == "GET" && !r.Anonymous))
        {
            var response = await SendAsync(anonymous, method, path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} -> {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task WrongOrRevokedToken_Gets401_NotTheData()
    {
        using var forged = _server.Client("vgl_" + new string('a', 40));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/status")).StatusCode);
        using var garbage = _server.Client("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/v1/status")).StatusCode);
    }

    [Fact]
    public async Task SecretInPathRoutes_WrongSecret_Are404AndChangeNothing()
    {
        using var anonymous = _server.Client();
        var routes = Routes().Where(r => r.Anonymous && MutatingMethods.Contains(r.Method)).ToList();
        foreach (var (method, path, _, _) in routes)
        {
            var response = await SendAsync(anonymous, method, path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{method} {path} -> {(int)response.StatusCode}");
        }
    }

    private string? SecretInPath(string method, string path) =>
        Endpoints().First(e => e.Method == method && e.Path == path).Anonymous?.SecretInPath;

    private List<(string Method, string Path, Role? Role, bool Anonymous)> Routes() =>
        Endpoints().Select(e => (e.Method, e.Path, e.Role, e.Anonymous is not null)).ToList();

    private List<(string Method, string Path, Role? Role, AnonymousAccess? Anonymous)> Endpoints()
    {
        var sources = _server.App.Services.GetRequiredService<EndpointDataSource>();
        var list = new List<(string, string, Role?, AnonymousAccess?)>();
        // Console pages authenticate by session cookie and are covered by ConsoleRouteTests and the browser tests.
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<global::Vigil.Server.WebConsole.ConsoleEndpoint>() is null))
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{[^}]+\}", "1");
            foreach (var m in methods)
            {
                list.Add((m, path, endpoint.Metadata.GetMetadata<RequiredRole>()?.Role, endpoint.Metadata.GetMetadata<AnonymousAccess>()));
            }
        }

        return list;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
