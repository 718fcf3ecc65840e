using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Auth;
using Vigil.Server.Tests.Support;
using Vigil.Server.WebConsole;

namespace Vigil.Server.Tests.WebConsole;

/// <summary>
/// The console's pages over real HTTP without a browser: which need a session, what a post without one
/// gets, the security headers, and that each console form takes its role from the API route it mirrors.
/// </summary>
public sealed class ConsoleRouteTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConsolePages_WithoutASession_RedirectToSignIn_AndPostsAre401()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        var pages = ConsolePaths().Where(p => p != "/console/login").ToList();
        Assert.Contains("/console/incidents/1", pages);
        foreach (var path in pages)
        {
            var get = await client.GetAsync(path);
            Assert.True(get.StatusCode == HttpStatusCode.Redirect, $"GET {path} -> {(int)get.StatusCode}");
            Assert.StartsWith("/console/login?returnUrl=", get.Headers.Location!.OriginalString, StringComparison.Ordinal);

            var post = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "ack" }));
            Assert.True(post.StatusCode == HttpStatusCode.Unauthorized, $"POST {path} -> {(int)post.StatusCode}");
            Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task BearerToken_DoesNotOpenTheConsole()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _server.AdminToken);
        var response = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task SignInPage_IsServedWithAStrictContentSecurityPolicy()
    {
        using var client = _server.Client();
        var response = await client.GetAsync("/console/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace(_server.Address.ToString().TrimEnd('/'), "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleScripts_AreServedFromThisOrigin()
    {
        using var client = _server.Client();
        var blazor = await client.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, blazor.StatusCode);
        Assert.Equal("text/javascript", blazor.Content.Headers.ContentType?.MediaType);
        var live = await client.GetAsync("/console/assets/console.js");
        Assert.Contains("EventSource", await live.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/assets/nothing.js")).StatusCode);
    }

    [Fact]
    public void ConsoleForms_TakeTheRoleOfTheApiRouteTheyMirror()
    {
        var actions = _server.App.Services.GetRequiredService<ConsoleActions>();
        Assert.Equal(Role.Responder, actions.RoleFor("ack"));
        Assert.Equal(Role.Responder, actions.RoleFor("resolve"));
        Assert.Equal(Role.Responder, actions.RoleFor("run"));
        Assert.Equal(Role.Operator, actions.RoleFor("approve"));
        Assert.Null(actions.RoleFor("signout"));
        foreach (var form in ConsoleActions.Routes.Keys)
        {
            Assert.NotNull(actions.RoleFor(form));
        }
    }

    [Fact]
    public async Task SignInLink_SignsInOnce_UnknownCodeGoesToSignIn()
    {
        var link = ConsoleSignIn.CreateLink(_server.App, _server.Address, _server.AdminToken);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.Address };
        var response = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var page = new HttpRequestMessage(HttpMethod.Get, "/console");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        var overview = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Overview", await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var wrong = await client.GetAsync("/console/login/link/" + new string('0', 48));
        Assert.Equal("/console/login?expired=1", wrong.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Overview_ForABrowserWithoutScripts_IsRenderedInOnePiece_NotStreamed()
    {
        var link = ConsoleSignIn.CreateLink(_server.App, _server.Address, _server.AdminToken);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.Address };
        var session = (await client.GetAsync(link)).Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var page = new HttpRequestMessage(HttpMethod.Get, "/console");
        page.Headers.Add("Cookie", session);
        var html = await (await client.SendAsync(page)).Content.ReadAsStringAsync();
        // Streamed parts arrive as <blazor-ssr> templates only blazor.web.js applies: without scripts the page would stay at "Loading".
        Assert.DoesNotContain("<blazor-ssr>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading the status", html, StringComparison.Ordinal);
        Assert.Contains("data-service=\"web\"", html, StringComparison.Ordinal);
    }

    private List<string> ConsolePaths() =>
        _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ConsoleEndpoint>() is not null)
            .Select(e => "/" + System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{\*?([^}:]+)[^}]*\}", m => m.Groups[1].Value == "Id" ? "1" : "x"))
            .Distinct().ToList();
}
