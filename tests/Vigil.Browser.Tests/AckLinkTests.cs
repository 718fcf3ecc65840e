using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

/// <summary>A page's acknowledge link in headless Chromium, without signing in: the confirmation page, then the button.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AckLinkTests(ConsoleFixture f)
{
    [Fact]
    public async Task AckLink_OpenedWithoutSignIn_ShowsTheIncident_AndTheButtonAcknowledgesAsThePerson_Once()
    {
        var id = await f.OpenIncidentAsync("browser ack link", "P1", "web");
        var path = await f.AckLinkPathAsync(id);
        var (page, csp) = await f.NewPageAsync(375);

        var opened = await page.GotoAsync(path);
        Assert.Equal(200, opened!.Status);
        await Expect(page.Locator("main h1")).ToHaveTextAsync($"Acknowledge incident #{id}?");
        await Expect(page.GetByTestId("ack-incident")).ToHaveTextAsync("browser ack link");
        await Expect(page.GetByTestId("ack-person")).ToHaveTextAsync("Alice Adams (alice)");
        await Expect(page.GetByTestId("ack-status")).ToHaveTextAsync("triggered");
        Assert.Equal("triggered", (await f.GetJsonAsync($"/api/v1/incidents/{id}")).GetProperty("incident").GetProperty("status").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge #{id}" }).ClickAsync();
        await Expect(page.GetByTestId("ack-result")).ToContainTextAsync("Acknowledged by Alice Adams (alice)");
        await Expect(page.GetByTestId("ack-status")).ToHaveTextAsync("acknowledged");
        Assert.Equal("acknowledged", (await f.GetJsonAsync($"/api/v1/incidents/{id}")).GetProperty("incident").GetProperty("status").GetString());
        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "incident.acknowledge"
            && e.GetProperty("target").GetString() == $"incident/{id}" && e.GetProperty("actor").GetString() == "alice" && e.GetProperty("reason").GetString() == "ack link");

        // Back to the link (a second click, a forwarded message): refused with a page that says why.
        var again = await page.GotoAsync(path);
        Assert.Equal(410, again!.Status);
        await Expect(page.Locator("main h1")).ToHaveTextAsync("This link was already used");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("works once");
        Assert.Empty(csp);
    }
}
