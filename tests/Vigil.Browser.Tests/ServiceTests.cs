using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
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

    [Fact]
    public async Task ServicePage_DrawsLatencyFromTheHourlyRollups()
    {
        // An hour of history as the flusher writes it: 60 probes, mean 42 ms, p95 87 ms.
        var store = f.Server.App.Services.GetRequiredService<IVigilStore>();
        var now = TimeProvider.System.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);
        await store.RecordAsync(async (s, ct) =>
        {
            await s.Checks.UpsertHourAsync(new HourRollup("web/alive", hour, 60, 0, new Dictionary<FailureReason, int>(), 10, 42, 120, 87, [], null), null, ct);
            return 0;
        }, CancellationToken.None);

        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/services/web");
        var check = page.Locator("[data-check='web/alive']");
        await Expect(check.GetByRole(AriaRole.Img, new() { Name = "Latency over 24 hours: p95 up to 87 milliseconds" })).ToBeVisibleAsync();
        await Expect(check.Locator("figure.latency g title")).ToContainTextAsync("mean 42 ms, p95 87 ms");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(f.Artifacts, "service-latency-light-1280.png"), FullPage = true });
        Assert.Empty(csp);
    }
}
