using Microsoft.Playwright;
using Vigil.Server.Demo;
using Vigil.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Vigil.Browser.Tests;

/// <summary>The runbook page draws a procedure's branch graph (next, on_fail, when) as server-side SVG; here the demo's blue-green runbook.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BranchGraphTests(ConsoleFixture f)
{
    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task RunbookPage_DrawsStepsAndTheirNextOnFailAndWhenEdges(ColorScheme scheme)
    {
        using var demo = new TempDirectory();
        DemoFiles.ExtractTo(demo.Path);
        File.Copy(demo.File("runbooks/blue-green.md"), Path.Combine(f.Server.Dir.Path, "runbooks", "blue-green.md"), overwrite: true);

        var (page, csp) = await f.NewPageAsync(scheme: scheme);
        await ConsoleFixture.SignInAsync(page, f.Viewer);
        await page.GotoAsync("/console/runbooks/blue-green");
        var flow = page.GetByTestId("flow-swap-to-green");
        await Expect(flow.GetByRole(AriaRole.Img, new() { Name = "Flow of swap-to-green: 5 steps; a failure can continue with roll-back-to-blue", Exact = false }))
            .ToBeVisibleAsync();

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(f.Artifacts, $"runbook-branch-graph-{scheme.ToString().ToLowerInvariant()}-1280.png"), FullPage = true });

        // Two columns: the swap's five steps and the rollback branch's four, each ending in an end node.
        await Expect(flow.Locator("[data-step^='swap-to-green/']")).ToHaveCountAsync(6);
        await Expect(flow.Locator("[data-step^='roll-back-to-blue/']")).ToHaveCountAsync(5);
        await Expect(flow.Locator("[data-step='swap-to-green/3']")).ToContainTextAsync("3 · switch");
        await Expect(flow.Locator("[data-step='roll-back-to-blue/1']")).ToContainTextAsync("when =~ /serving green/ of switch");
        // next: 5 + 4 within the columns; on_fail: green-healthy, verify and bake; skip: serve-blue's when.
        await Expect(flow.Locator("[data-kind='next']")).ToHaveCountAsync(9);
        await Expect(flow.Locator("[data-kind='on-fail']")).ToHaveCountAsync(3);
        await Expect(flow.Locator("[data-kind='skip']")).ToHaveCountAsync(1);

        // Every on_fail edge leaves its step's right side and ends at the branch's first step, as the browser measures the drawn
        // shapes (SVG user units: the path's first and last points, the rectangles' boxes).
        var geometry = await flow.EvaluateAsync<double[][]>("""
            f => [...f.querySelectorAll("[data-kind='on-fail'] path")].map(p => {
              const a = p.getPointAtLength(0), b = p.getPointAtLength(p.getTotalLength());
              return [a.x, a.y, b.x, b.y];
            })
            """);
        var boxes = await flow.EvaluateAsync<Dictionary<string, double[]>>("""
            f => Object.fromEntries([...f.querySelectorAll("[data-step]")].map(g => {
              const r = g.querySelector("rect").getBBox();
              return [g.dataset.step, [r.x, r.y, r.width, r.height]];
            }))
            """);
        var target = boxes["roll-back-to-blue/1"];
        Assert.Equal(3, geometry.Length);
        foreach (var (edge, from) in new[] { (0, "swap-to-green/2"), (1, "swap-to-green/4"), (2, "swap-to-green/5") })
        {
            var (p, step) = (geometry[edge], boxes[from]);
            Assert.InRange(p[0] - (step[0] + step[2]), -0.5, 0.5);
            Assert.InRange(p[1] - (step[1] + step[3] / 2), -0.5, 0.5);
            Assert.InRange(target[0] - p[2], 0, 4);
            Assert.InRange(p[3] - (target[1] + target[3] / 2), -0.5, 0.5);
        }

        // The rollback procedure has a when, so it has a graph of its own; a runbook that does not branch has none.
        await Expect(page.GetByTestId("flow-roll-back-to-blue")).ToBeVisibleAsync();
        await page.GotoAsync("/console/runbooks/deploy");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deploy the website", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("figure.flow")).ToHaveCountAsync(0);
        Assert.Empty(csp);
    }
}
