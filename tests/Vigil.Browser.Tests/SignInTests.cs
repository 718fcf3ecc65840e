using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(ConsoleFixture f)
{
    [Fact]
    public async Task SignIn_WithToken_GivesStrictHttpOnlyExpiringCookie_AndSignOutEndsIt()
    {
        var (page, csp) = await f.NewPageAsync();
        await page.GotoAsync("/console/incidents");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login\\?returnUrl=%2Fconsole%2Fincidents$"));

        await page.Locator("#token").FillAsync(f.Responder);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Incidents", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("who")).ToContainTextAsync("rita");

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "vigil_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "the session cookie has an expiry");
        Assert.False(cookie.Secure, "plain http on loopback: Secure is set only over https");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
        Assert.Empty(csp);

        var audit = await f.GetJsonAsync("/api/v1/audit?tail=100");
        var actions = audit.EnumerateArray().Where(e => e.GetProperty("actor").GetString() == "rita").Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("console.sign_in", actions);
        Assert.Contains("console.sign_out", actions);
    }

    [Fact]
    public async Task SignIn_UnknownToken_IsRefusedWithAClearMessage()
    {
        var (page, _) = await f.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.Locator("#token").FillAsync("vgl_" + new string('x', 40));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("unknown or revoked");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "vigil_session");
    }

    [Fact]
    public async Task RevokedToken_EndsItsSession()
    {
        var secret = await f.Server.CreateTokenAsync("short-lived", "responder");
        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, secret);
        await Expect(page.GetByTestId("who")).ToContainTextAsync("short-lived");

        var tokens = await f.GetJsonAsync("/api/v1/tokens");
        var id = tokens.EnumerateArray().First(t => t.GetProperty("name").GetString() == "short-lived").GetProperty("id").GetInt64();
        using (var admin = f.Server.Admin())
        {
            (await admin.DeleteAsync($"/api/v1/tokens/{id}")).EnsureSuccessStatusCode();
        }

        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
        await Expect(page.Locator("#token")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OnCallPage_ShowsWhoIsOnCallNow_AsVigilOncallDoes()
    {
        var now = await f.GetJsonAsync("/api/v1/oncall?schedule=primary");
        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/oncall");
        await Expect(page.Locator("[data-schedule='primary']").GetByTestId("oncall-now")).ToContainTextAsync(now[0].GetProperty("personName").GetString()!);
        await Expect(page.Locator("[data-schedule='primary']").GetByTestId("oncall-next")).ToContainTextAsync(
            now[0].GetProperty("personName").GetString() == "Alice Adams" ? "Bob Brown" : "Alice Adams");
    }

    [Fact]
    public async Task Overview_ShowsWhatVigilStatusShows()
    {
        using (var admin = f.Server.Admin())
        {
            // A deterministic state for the one check: paused.
            (await admin.PostAsync("/api/v1/checks/web/alive/pause", new StringContent("{\"reason\":\"browser test\"}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        await f.OpenIncidentAsync("overview P1", "P1", "api");
        await f.OpenIncidentAsync("overview P3", "P3", "web");
        var cli = await f.Server.CliAsync("status", "--json");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var status = JsonDocument.Parse(cli.Out);

        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console");
        foreach (var service in status.RootElement.GetProperty("services").EnumerateArray())
        {
            var row = page.Locator($"tr[data-service='{service.GetProperty("id").GetString()}']");
            await Expect(row.GetByTestId("state")).ToHaveTextAsync(service.GetProperty("state").GetString()!);
        }

        Assert.Equal("paused", status.RootElement.GetProperty("services")[0].GetProperty("state").GetString());
        foreach (var severity in status.RootElement.GetProperty("incidents").GetProperty("openBySeverity").EnumerateObject())
        {
            await Expect(page.Locator($"[data-severity='{severity.Name}']")).ToHaveTextAsync($"{severity.Name}: {severity.Value.GetInt32()}");
        }

        await Expect(page.GetByTestId("instance")).ToContainTextAsync(status.RootElement.GetProperty("name").GetString()!);
        Assert.Empty(csp);
    }
}
