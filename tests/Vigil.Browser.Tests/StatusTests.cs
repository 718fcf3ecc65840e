using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Server.StatusPage;
using Vigil.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

/// <summary>The public status page in a real browser: without JavaScript, axe, screenshots light and dark at 1280 and 375 px.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StatusTests(ConsoleFixture f)
{
    public static TheoryData<string, int> Looks => PagesTests.Looks;

    [Fact]
    public async Task Status_WithJavaScriptDisabled_ShowsServicesIncidentsAndPublicUpdates_NoInternals()
    {
        var id = await f.OpenIncidentAsync("internal title: db primary 10.1.2.3 is down", "P1", "web");
        using (var admin = f.Server.Admin())
        {
            (await admin.PostAsync($"/api/v1/incidents/{id}/notes", Json("{\"text\":\"internal-only note for responders\"}"))).EnsureSuccessStatusCode();
            (await admin.PostAsync($"/api/v1/incidents/{id}/public-updates", Json("{\"text\":\"Checkout is slow; we are on it.\"}"))).EnsureSuccessStatusCode();
        }

        await PublishedAsync("Checkout is slow; we are on it.");
        var (page, csp) = await f.NewPageAsync(javaScript: false);
        await page.GotoAsync("/status");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        var body = page.Locator("body");
        await Expect(body).ToContainTextAsync("Website");
        await Expect(body).ToContainTextAsync($"Incident #{id}");
        await Expect(body).ToContainTextAsync("Checkout is slow; we are on it.");
        await Expect(body).Not.ToContainTextAsync("internal-only note");
        await Expect(body).Not.ToContainTextAsync("10.1.2.3");
        await Expect(body).Not.ToContainTextAsync("Edge API");
        await Expect(page.Locator("script")).ToHaveCountAsync(0);
        Assert.Empty(csp);
    }

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task Status_HasNoSeriousAccessibilityViolations_AndFitsTheWidth(string scheme, int width)
    {
        var id = await f.OpenIncidentAsync($"status look {scheme} {width}", "P2", "web");
        var text = $"Investigating slow pages ({scheme}, {width} px).";
        using (var admin = f.Server.Admin())
        {
            (await admin.PostAsync($"/api/v1/incidents/{id}/public-updates", Json($"{{\"text\":\"{text}\"}}"))).EnsureSuccessStatusCode();
        }

        await PublishedAsync(text);
        // axe runs as a script in the page, so this context allows scripts; the page itself has none (its CSP forbids them).
        var (page, csp) = await f.NewPageAsync(width, scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await page.GotoAsync("/status");
        await Expect(page.Locator("body")).ToContainTextAsync(text);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(f.Artifacts, $"status-{scheme}-{width}.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"/status at {width} px scrolls sideways by {overflow} px");

        var results = await page.RunAxe();
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"/status ({scheme}, {width} px): " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
        Assert.Empty(csp);
    }

    /// <summary>Waits (on the publisher's rebuilds, no sleeps) until /status.json carries <paramref name="text"/>.</summary>
    private Task<string> PublishedAsync(string text)
    {
        var publisher = f.Server.App.Services.GetRequiredService<StatusPagePublisher>();
        return Eventually.UntilAsync(async () =>
        {
            using var anonymous = f.Server.Client();
            return await anonymous.GetStringAsync("/status.json");
        }, json => json.Contains(text, StringComparison.Ordinal), publisher.NextBuildAsync, TimeSpan.FromSeconds(30), $"'{text}' on the status page");
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
