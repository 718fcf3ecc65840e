using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ServiceTests(ConsoleFixture f)
{
    [Fact]
    public async Task Operator_PausesAndResumesACheck_FromTheServicePage_AndTheApiSeesIt()
    {
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Operator);
        await page.GotoAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edge API" }).ClickAsync();
        var check = page.Locator("[data-check='api/ping']");
        await Expect(check.GetByRole(AriaRole.Img, new() { Name = "24 hours uptime", Exact = false })).ToBeVisibleAsync();

        await check.GetByLabel("Reason").FillAsync("noisy during the migration");
        await check.GetByRole(AriaRole.Button, new() { Name = "Pause ping" }).ClickAsync();
        await Expect(check.GetByTestId("check-state")).ToHaveTextAsync("paused");
        var paused = await f.GetJsonAsync("/api/v1/checks?service=api");
        Assert.Equal("olivia", paused[0].GetProperty("pausedBy").GetString());

        await check.GetByRole(AriaRole.Button, new() { Name = "Resume ping" }).ClickAsync();
        await Expect(check.GetByTestId("check-state")).Not.ToHaveTextAsync("paused");
        var audit = await f.GetJsonAsync("/api/v1/audit?tail=100");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("actor").GetString() == "olivia" && e.GetProperty("target").GetString()!.Contains("api/ping", StringComparison.Ordinal));
        Assert.Empty(csp);
    }

    [Fact]
    public async Task Responder_ProbesNow_ButSeesNoPause()
    {
        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync("/console/services/api");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause ping" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Probe all checks now" }).ClickAsync();
        await Expect(page.GetByTestId("probed")).ToContainTextAsync("api/ping: ok");
    }
}
