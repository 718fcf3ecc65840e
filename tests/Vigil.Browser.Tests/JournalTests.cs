using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

/// <summary>The console's ops journal page and the overview's backup health, in real Chromium against a real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JournalTests(ConsoleFixture f)
{
    [Fact]
    public async Task Responder_AddsAJournalEntry_FiltersByServiceAndTag_AndItIsAudited()
    {
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GetByRole(AriaRole.Link, new() { Name = "Journal" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Ops journal");

        await page.Locator("#journal-text").FillAsync("rotated the TLS certificate on web by hand\nold one kept in /etc/ssl/old");
        await page.Locator("#journal-service").SelectOptionAsync("web");
        await page.Locator("#journal-tags").FillAsync("tls, browser-test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the journal" }).ClickAsync();
        var entry = page.GetByTestId("journal").Locator("li", new() { HasText = "rotated the TLS certificate on web by hand" });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("rita");
        await Expect(entry).ToContainTextAsync("#browser-test");

        var stored = (await f.GetJsonAsync("/api/v1/journal?tag=browser-test")).EnumerateArray().Single();
        Assert.Equal("web", stored.GetProperty("service").GetString());
        Assert.Equal("rita", stored.GetProperty("author").GetString());
        var id = stored.GetProperty("id").GetInt64();
        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "journal.add"
            && e.GetProperty("target").GetString() == $"journal/{id}" && e.GetProperty("actor").GetString() == "rita");

        // The tag badge filters; another service's filter hides the entry; a bad filter is explained, not a 500.
        await entry.GetByRole(AriaRole.Link, new() { Name = "#browser-test" }).ClickAsync();
        await Expect(page.Locator("#journal-filter-tag")).ToHaveValueAsync("browser-test");
        await Expect(page.GetByTestId("journal").Locator("li")).ToHaveCountAsync(1);
        await page.GotoAsync("/console/journal?service=api&tag=browser-test");
        await Expect(page.GetByTestId("journal-empty")).ToBeVisibleAsync();
        await page.GotoAsync("/console/journal?since=yesterday-ish");
        await Expect(page.GetByTestId("refusal")).ToContainTextAsync("since: 'yesterday-ish' is neither a duration");

        // An empty text is refused with the field named, and nothing is stored.
        await page.GotoAsync("/console/journal");
        await page.Locator("#journal-text").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the journal" }).ClickAsync();
        await Expect(page.GetByTestId("refusal")).ToContainTextAsync("text: Write what happened");
        Assert.Single((await f.GetJsonAsync("/api/v1/journal?tag=browser-test")).EnumerateArray());
        Assert.Empty(csp);
    }

    [Fact]
    public async Task Viewer_ReadsTheJournal_WithNoForm()
    {
        using (var admin = f.Server.Admin())
        {
            var added = await admin.PostAsync("/api/v1/journal", new StringContent("{\"text\":\"viewer can read this journal entry\"}", Encoding.UTF8, "application/json"));
            added.EnsureSuccessStatusCode();
        }

        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/journal");
        await Expect(page.GetByTestId("journal")).ToContainTextAsync("viewer can read this journal entry");
        await Expect(page.GetByTestId("journal-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Overview_ShowsBackupHealthPerService()
    {
        using (var admin = f.Server.Admin())
        {
            var run = await admin.PostAsync("/api/v1/backup-jobs/site-runbooks/runs", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.True(run.IsSuccessStatusCode, await run.Content.ReadAsStringAsync());
        }

        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console");
        var row = page.GetByTestId("backups").Locator("tr[data-service=web]");
        await Expect(row).ToContainTextAsync("site-runbooks");
        await Expect(row.GetByTestId("backup-health")).ToHaveTextAsync("ok");
        await Expect(row).Not.ToContainTextAsync("none yet");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(f.Artifacts, "overview-backups-light-1280.png"), FullPage = true });
    }
}
