using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class OnCallTests(ConsoleFixture f)
{
    [Fact]
    public async Task OnCallTimes_AreShownInTheViewersTimeZone_WithTheUtcTimeKept()
    {
        // Tokyo has no daylight saving: the 09:00 UTC hand-off is 18:00 there.
        var (page, csp) = await f.NewPageAsync(timezoneId: "Asia/Tokyo");
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/oncall");
        await Expect(page.Locator("[data-tz-note]")).ToHaveTextAsync("Times are in your time zone (Asia/Tokyo).");
        var until = page.GetByTestId("oncall-now").Locator("time");
        await Expect(until).ToContainTextAsync("18:00");
        await Expect(until).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(" 09:00 UTC$"));
        Assert.EndsWith("T09:00:00Z", await until.GetAttributeAsync("datetime"), StringComparison.Ordinal);
        Assert.Empty(csp);
    }

    [Fact]
    public async Task WithoutJavaScript_TimesStayUtc()
    {
        var (page, _) = await f.NewPageAsync(javaScript: false, timezoneId: "Asia/Tokyo");
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/oncall");
        await Expect(page.Locator("[data-tz-note]")).ToHaveTextAsync("Times are UTC.");
        await Expect(page.GetByTestId("oncall-now").Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d{4}-\\d\\d-\\d\\d 09:00 UTC$"));
    }
}
