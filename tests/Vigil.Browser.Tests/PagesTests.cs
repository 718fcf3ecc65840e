using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

/// <summary>Every page, light and dark, at 1280 and 375 px: screenshots to the artifacts folder, axe, CSP, and no sideways scrolling on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesTests(ConsoleFixture f)
{
    public static TheoryData<string, int> Looks => new()
    {
        { "light", 1280 },
        { "dark", 1280 },
        { "light", 375 },
        { "dark", 375 },
    };

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task EveryPage_HasNoSeriousAccessibilityViolations_NoCspViolations_AndFitsTheWidth(string scheme, int width)
    {
        var incident = await f.OpenIncidentAsync($"screenshot incident {scheme} {width}", "P1", "web");
        using (var admin = f.Server.Admin())
        {
            (await admin.PostAsync($"/api/v1/incidents/{incident}/notes", Json("{\"text\":\"customers report slow checkout\"}"))).EnsureSuccessStatusCode();
        }

        var ack = await f.AckLinkPathAsync(incident);
        var run = await StartedRunAsync();
        var pages = new (string Name, string Path)[]
        {
            ("overview", "/console"),
            ("service", "/console/services/web"),
            ("incidents", "/console/incidents"),
            ("incident", $"/console/incidents/{incident}"),
            ("runbooks", "/console/runbooks"),
            ("runbook", "/console/runbooks/deploy"),
            ("run", $"/console/runs/{run}"),
            ("oncall", "/console/oncall"),
            ("quiet", "/console/quiet"),
            ("notifications", "/console/notifications"),
            ("journal", "/console/journal"),
            ("audit", "/console/audit?verify=1"),
            ("ack-link", ack),
        };

        var (page, csp) = await f.NewPageAsync(width, scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await page.GotoAsync("/console/login");
        await CheckAsync(page, "login", scheme, width);
        await ConsoleFixture.SignInAsync(page, f.Responder);
        foreach (var (name, path) in pages)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("main h1")).ToBeVisibleAsync();
            await CheckAsync(page, name, scheme, width);
        }

        Assert.Empty(csp);
    }

    [Fact]
    public async Task PhoneWidth_IncidentActionsAreReachable()
    {
        var id = await f.OpenIncidentAsync("phone ack", "P2", "web");
        var (page, _) = await f.NewPageAsync(375);
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync($"/console/incidents/{id}");
        var ack = page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" });
        var box = await ack.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"the Acknowledge button lies inside 375 px (x={box.X}, width={box.Width})");
        await ack.ClickAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("acknowledged");
    }

    private async Task CheckAsync(IPage page, string name, string scheme, int width)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(f.Artifacts, $"{name}-{scheme}-{width}.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{name} at {width} px scrolls sideways by {overflow} px");

        var results = await page.RunAxe();
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{name} ({scheme}, {width} px): " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    /// <summary>A run of the deploy runbook waiting for approval (so the run page has something to show).</summary>
    private async Task<long> StartedRunAsync()
    {
        using var client = f.Server.Client(f.Operator);
        var response = await client.PostAsync("/api/v1/runbook-runs",
            Json($"{{\"runbook\":\"deploy\",\"params\":{{\"version\":\"1.0.0\",\"marker\":\"{Path.Combine(f.Server.Dir.Path, "never").Replace("\\", "/", StringComparison.Ordinal)}\"}}}}"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
