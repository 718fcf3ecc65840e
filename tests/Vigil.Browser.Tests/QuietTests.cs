using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class QuietTests(ConsoleFixture f)
{
    [Fact]
    public async Task Responder_CreatesASilence_AndExpiresIt_SeenInTheApiAndAudit()
    {
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GetByRole(AriaRole.Link, new() { Name = "Quiet time" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Quiet time");

        await page.Locator("#silence-matchers").FillAsync("service=api\ncheck=ping");
        await page.Locator("#silence-duration").FillAsync("1h");
        await page.Locator("#silence-comment").FillAsync("browser silence for the ping check");
        await page.GetByRole(AriaRole.Button, new() { Name = "Silence", Exact = true }).ClickAsync();
        var row = page.GetByTestId("silences").Locator("li", new() { HasText = "browser silence for the ping check" });
        await Expect(row).ToBeVisibleAsync();

        var silences = await f.GetJsonAsync("/api/v1/silences");
        var mine = silences.EnumerateArray().Single(s => s.GetProperty("comment").GetString() == "browser silence for the ping check");
        Assert.Equal("rita", mine.GetProperty("createdBy").GetString());
        var id = mine.GetProperty("id").GetInt64();

        await row.GetByRole(AriaRole.Button, new() { Name = $"Expire silence #{id}" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain((await f.GetJsonAsync("/api/v1/silences")).EnumerateArray(), s => s.GetProperty("id").GetInt64() == id);
        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "silence.expire"
            && e.GetProperty("target").GetString() == $"silence/{id}" && e.GetProperty("actor").GetString() == "rita");
        Assert.Empty(csp);

        // A responder may silence but not freeze or plan windows (operator): those forms are not shown.
        await Expect(page.GetByTestId("freeze-form")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("window-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Viewer_SeesTheQuietTimePage_WithNoControls()
    {
        using (var admin = f.Server.Admin())
        {
            var created = await admin.PostAsync("/api/v1/silences", new StringContent(
                "{\"matchers\":[\"alertname=viewer-test-only\"],\"duration\":\"1h\",\"comment\":\"viewer can read this\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/quiet");
        await Expect(page.GetByTestId("silences")).ToContainTextAsync("viewer can read this");
        await Expect(page.Locator("main form")).ToHaveCountAsync(0);
        await Expect(page.Locator("main button")).ToHaveCountAsync(0);
    }
}
