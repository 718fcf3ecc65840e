using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Server.Tests.Support;
using Vigil.Server.WebConsole;

namespace Vigil.Server.Tests.WebConsole;

/// <summary>
/// The console's quiet-time page over real HTTP: its forms go through the same code as the API routes
/// (same rows, same audit entries), carry antiforgery tokens, and are gated by the routes' roles.
/// </summary>
public sealed partial class QuietPageTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Operator_CreatesAndExpiresASilence_FreezesAndLifts_AndCreatesAndCancelsAWindow()
    {
        using var client = await SignedInAsync(_server.AdminToken);
        var page = await client.GetStringAsync("/console/quiet");

        var created = await PostAsync(client, page, "silence", ("matchers", "service=web\nenv!=staging"), ("duration", "2h"), ("comment", "planned db failover"));
        Assert.Contains("planned db failover", created, StringComparison.Ordinal);
        var silences = await GetJsonAsync("/api/v1/silences");
        var silence = Assert.Single(silences.EnumerateArray());
        var id = silence.GetProperty("id").GetInt64();
        Assert.Equal(["service=web", "env!=staging"], silence.GetProperty("matchers").EnumerateArray().Select(m => m.GetString()!));

        var expired = await PostAsync(client, created, $"expire:{id}");
        Assert.Contains("No silence is in force.", expired, StringComparison.Ordinal);
        Assert.Empty((await GetJsonAsync("/api/v1/silences")).EnumerateArray());

        var frozen = await PostAsync(client, expired, "freeze", ("service", "web"), ("reason", "quarter close"));
        Assert.Contains("quarter close", frozen, StringComparison.Ordinal);
        Assert.Equal("web", Assert.Single((await GetJsonAsync("/api/v1/freezes")).EnumerateArray()).GetProperty("service").GetString());
        var lifted = await PostAsync(client, frozen, "lift:web");
        Assert.Contains("Nothing is frozen.", lifted, StringComparison.Ordinal);

        var windowed = await PostAsync(client, lifted, "window", ("services", "web"), ("duration", "30m"), ("reason", "kernel patching"), ("blocks", "true"));
        var window = Assert.Single((await GetJsonAsync("/api/v1/windows")).EnumerateArray());
        Assert.True(window.GetProperty("blocksDeploys").GetBoolean());
        var windowId = window.GetProperty("id").GetString()!.TrimStart('#');
        var cancelled = await PostAsync(client, windowed, $"window-cancel:{windowId}");
        Assert.Contains("No window is active or upcoming.", cancelled, StringComparison.Ordinal);

        var audit = (await GetJsonAsync("/api/v1/audit?tail=50")).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "silence.add", "silence.expire", "freeze.add", "freeze.lift", "window.create", "window.cancel" })
        {
            Assert.Contains(action, audit);
        }
    }

    [Fact]
    public async Task BadInput_ShowsTheApisFieldErrors_AndChangesNothing()
    {
        using var client = await SignedInAsync(_server.AdminToken);
        var page = await client.GetStringAsync("/console/quiet");
        var refused = await PostAsync(client, page, "silence", ("matchers", "service=web"), ("duration", "forever"), ("comment", "x"));
        Assert.Contains("duration: &#x27;forever&#x27; is not a duration", refused, StringComparison.Ordinal);
        Assert.Empty((await GetJsonAsync("/api/v1/silences")).EnumerateArray());

        var badStart = await PostAsync(client, page, "window", ("services", "web"), ("start", "tomorrow"), ("duration", "1h"), ("reason", "x"));
        Assert.Contains("is not a date and time", badStart, StringComparison.Ordinal);
        Assert.Empty((await GetJsonAsync("/api/v1/windows")).EnumerateArray());
    }

    [Fact]
    public async Task Viewer_SeesNoControls_AndAForgedPostIs403()
    {
        var viewer = await _server.CreateTokenAsync("vera", "viewer");
        using var client = await SignedInAsync(viewer);
        var page = await client.GetStringAsync("/console/quiet");
        Assert.Contains("<h1>Quiet time</h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"silence-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"freeze-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"window-form\"", page, StringComparison.Ordinal);

        var forged = await client.PostAsync("/console/quiet", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "silence",
            ["__RequestVerificationToken"] = Antiforgery(page),
            ["matchers"] = "service=web",
            ["duration"] = "1h",
            ["comment"] = "viewer tries",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Empty((await GetJsonAsync("/api/v1/silences")).EnumerateArray());
    }

    private async Task<HttpClient> SignedInAsync(string token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.Address };
        var signedIn = await client.GetAsync(ConsoleSignIn.CreateLink(_server.App, _server.Address, token));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        return client;
    }

    /// <summary>Posts form <paramref name="handler"/> as a browser without scripts would; answers the page it lands on.</summary>
    private static async Task<string> PostAsync(HttpClient client, string page, string handler, params (string Name, string Value)[] fields)
    {
        Assert.Contains($"value=\"{handler}\"", page, StringComparison.Ordinal);
        var form = new Dictionary<string, string> { ["_handler"] = handler, ["__RequestVerificationToken"] = Antiforgery(page) };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var response = await client.PostAsync("/console/quiet", new FormUrlEncodedContent(form));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{handler} -> {(int)response.StatusCode}: {html}");
        return html;
    }

    private static string Antiforgery(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var admin = _server.Admin();
        return await admin.GetFromJsonAsync<JsonElement>(path);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
