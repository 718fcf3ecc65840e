using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class IncidentTests(ConsoleFixture f)
{
    [Fact]
    public async Task AckAndResolve_InTheBrowser_ShowInTheCliAndAudit()
    {
        var id = await f.OpenIncidentAsync("checkout is slow", "P2", "web");
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync($"/console/incidents/{id}");
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("triggered");

        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("acknowledged");
        await page.Locator("#resolve-reason").FillAsync("rolled back the bad deploy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("resolved");
        Assert.Empty(csp);

        var cli = await f.Server.CliAsync("incident", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var shown = JsonDocument.Parse(cli.Out);
        Assert.Equal("resolved", shown.RootElement.GetProperty("incident").GetProperty("status").GetString());

        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        var mine = audit.EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"incident/{id}" && e.GetProperty("actor").GetString() == "rita")
            .Select(e => (Action: e.GetProperty("action").GetString(), Reason: e.TryGetProperty("reason", out var r) ? r.GetString() : null)).ToList();
        Assert.Contains(mine, e => e.Action == "incident.acknowledge");
        Assert.Contains(mine, e => e.Action == "incident.resolve" && e.Reason == "rolled back the bad deploy");
    }

    [Fact]
    public async Task RolesAndActionItems_SetInTheBrowser_ShowInTheApiAndAudit()
    {
        var id = await f.OpenIncidentAsync("action items from the console", "P2", "web");
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync($"/console/incidents/{id}");

        await page.Locator("#assign-role").SelectOptionAsync("commander");
        await page.Locator("#assign-to").FillAsync("alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set role" }).ClickAsync();
        await Expect(page.GetByText("Commander: Alice Adams (alice)")).ToBeVisibleAsync();

        await page.Locator("#action-text").FillAsync("alert on queue depth");
        await page.Locator("#action-owner").FillAsync("bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add action item" }).ClickAsync();
        await Expect(page.GetByTestId("action-items")).ToContainTextAsync("open: alert on queue depth");

        var items = await f.GetJsonAsync($"/api/v1/incidents/{id}");
        var item = items.GetProperty("actions").EnumerateArray().Single();
        Assert.Equal("bob", item.GetProperty("owner").GetString());
        var actionId = item.GetProperty("id").GetInt64();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Mark #{actionId} done" }).ClickAsync();
        await Expect(page.GetByTestId("action-items")).ToContainTextAsync("done: alert on queue depth");
        Assert.Empty(csp);

        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        var mine = audit.EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"incident/{id}" && e.GetProperty("actor").GetString() == "rita")
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("incident.assign", mine);
        Assert.Contains("incident.action_add", mine);
        Assert.Contains("incident.action_done", mine);
    }

    [Fact]
    public async Task Resolve_WithASignalStillFiring_ShowsTheCliGuidance_AndForceResolves()
    {
        long id;
        using (var admin = f.Server.Admin())
        {
            var sent = await admin.PostAsJsonAsync("/api/v1/events", new Dictionary<string, object>
            {
                ["event_action"] = "trigger",
                ["dedup_key"] = "browser-live-signal",
                ["payload"] = new { summary = "api returns 500", source = "browser-test", severity = "error" },
            });
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
            using var answer = JsonDocument.Parse(await sent.Content.ReadAsStringAsync());
            id = answer.RootElement.GetProperty("incident_id").GetInt64();
        }

        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync($"/console/incidents/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("refusal")).ToContainTextAsync("still has 1 firing signal");
        await Expect(page.GetByTestId("refusal")).ToContainTextAsync("--force");
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("triggered");

        await page.GetByLabel("Resolve even with signals still firing (force)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("resolved");
    }

    [Fact]
    public async Task WithoutJavaScript_SignInAcknowledgeAndNote_StillWork()
    {
        var id = await f.OpenIncidentAsync("no script here", "P3", "web");
        var (page, _) = await f.NewPageAsync(javaScript: false);
        await ConsoleFixture.SignInAsync(page, f.Responder);
        await page.GotoAsync($"/console/incidents/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("acknowledged");
        await page.Locator("#note-text").FillAsync("written with scripts off");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("written with scripts off");
        await page.GotoAsync("/console");
        await Expect(page.GetByTestId("services")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TimelineEntry_AddedThroughTheApi_AppearsWithoutAReload()
    {
        var id = await f.OpenIncidentAsync("live timeline", "P3", "web");
        var (page, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync($"/console/incidents/{id}");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Opened by hand");
        // A mark on this document: a reload or navigation would lose it.
        await page.EvaluateAsync("() => { window.vigilMark = 'same-document'; }");

        using (var admin = f.Server.Admin())
        {
            (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "note from the API while the page is open" })).EnsureSuccessStatusCode();
        }

        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("note from the API while the page is open");
        Assert.Equal("same-document", await page.EvaluateAsync<string>("() => window.vigilMark"));
        Assert.Empty(csp);
    }

    [Fact]
    public async Task Viewer_SeesNoActionControls_AndAForgedPostGets403()
    {
        var id = await f.OpenIncidentAsync("viewer cannot act", "P3", "web");
        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync($"/console/incidents/{id}");
        await Expect(page.GetByTestId("incident-status")).ToHaveTextAsync("triggered");
        await Expect(page.GetByTestId("actions")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);

        // A hand-made form post with a valid antiforgery token (from the sign-out form) and the viewer's session.
        var antiforgery = await page.Locator("form.signout input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var forged = await page.APIRequest.PostAsync($"/console/incidents/{id}", new APIRequestContextOptions
        {
            Form = Form(page, ("_handler", "ack"), ("__RequestVerificationToken", antiforgery!)),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, forged.Status);
        Assert.Contains("responder", await forged.TextAsync(), StringComparison.Ordinal);
        var after = await f.GetJsonAsync($"/api/v1/incidents/{id}");
        Assert.Equal("triggered", after.GetProperty("incident").GetProperty("status").GetString());
    }

    [Fact]
    public async Task FormPost_WithoutTheAntiforgeryToken_IsRefused()
    {
        var id = await f.OpenIncidentAsync("no antiforgery", "P3", "web");
        var (page, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, f.Responder);
        var response = await page.APIRequest.PostAsync($"/console/incidents/{id}", new APIRequestContextOptions
        {
            Form = Form(page, ("_handler", "ack")),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        var after = await f.GetJsonAsync($"/api/v1/incidents/{id}");
        Assert.Equal("triggered", after.GetProperty("incident").GetProperty("status").GetString());
    }

    private static IFormData Form(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
