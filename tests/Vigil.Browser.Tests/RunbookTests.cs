using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunbookTests(ConsoleFixture f)
{
    [Fact]
    public async Task Run_FromTheConsole_NeedsASecondApprover_StreamsOutput_AndAsksForTheConfirmation()
    {
        var marker = Path.Combine(f.Server.Dir.Path, "traffic-go");
        var (olivia, csp) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(olivia, f.Operator);
        await olivia.GotoAsync("/console/runbooks");
        await olivia.GetByRole(AriaRole.Link, new() { Name = "Deploy the website" }).ClickAsync();
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Name = "Deploy the website", Exact = true })).ToBeVisibleAsync();

        await olivia.Locator("#param-version").FillAsync("2.0.0");
        await olivia.Locator("#param-marker").FillAsync(marker);
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Show the plan" }).ClickAsync();
        // The plan comes first: the scripts with parameters as quoted environment references.
        await Expect(olivia.GetByTestId("plan")).ToContainTextAsync("VIGIL_PARAM_version");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Run this plan" }).ClickAsync();

        await Expect(olivia.GetByTestId("run-status")).ToHaveTextAsync("pending_approval");
        var runUrl = olivia.Url;
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(olivia.GetByTestId("refusal")).ToContainTextAsync("olivia");
        await Expect(olivia.GetByTestId("run-status")).ToHaveTextAsync("pending_approval");

        var (oscar, _) = await f.NewPageAsync();
        await ConsoleFixture.SignInAsync(oscar, f.SecondOperator);
        await oscar.GotoAsync(runUrl);
        await oscar.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        // The run page follows the run by itself: it waits before the confirm=true step.
        await olivia.GotoAsync(runUrl);
        await Expect(olivia.GetByTestId("run-status")).ToHaveTextAsync("waiting");
        await Expect(olivia.GetByTestId("output")).ToContainTextAsync("preparing release 2.0.0");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Yes, run step 2" }).ClickAsync();

        // The step is still running (it waits for the marker file): its output can only have come live.
        await Expect(olivia.GetByTestId("output")).ToContainTextAsync("switching traffic to 2.0.0");
        var runId = runUrl[(runUrl.LastIndexOf('/') + 1)..];
        var run = await f.GetJsonAsync($"/api/v1/runbook-runs/{runId}");
        Assert.Equal("running", run.GetProperty("status").GetString());

        await File.WriteAllTextAsync(marker, "go");
        await Expect(olivia.GetByTestId("run-status")).ToHaveTextAsync("succeeded");
        await Expect(olivia.GetByTestId("output")).ToContainTextAsync("traffic switched");
        Assert.Empty(csp);

        var done = await f.GetJsonAsync($"/api/v1/runbook-runs/{runId}");
        Assert.Equal("oscar", done.GetProperty("approvedBy").GetString());
        Assert.Equal("olivia", done.GetProperty("requestedBy").GetString());
        var audit = await f.GetJsonAsync("/api/v1/audit?tail=200");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("actor").GetString() == "oscar" && e.GetProperty("action").GetString()!.Contains("approve", StringComparison.Ordinal));
    }
}
