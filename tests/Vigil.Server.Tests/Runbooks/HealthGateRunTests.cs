using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>
/// Blue/green with automatic rollback as a plain runbook, end to end: a real server whose command check probes the
/// loopback server the <c>live</c> symlink points at (real curl), real bash steps that swap the symlink, and a watch
/// that reads the checks engine's live state.
/// </summary>
public sealed class HealthGateRunTests
{
    private const string BlueGreen = """
        ---
        id: blue-green
        service: shop
        ---
        # Blue/green swap

        ## Swap

        ```bash {name=swap mutating=true}
        ln -sfn green live.next && mv -T live.next live
        ```

        ```bash {name=healthy wait="check:shop/live ok for 2s" timeout=30s}
        # Wait until the live side has been healthy for a while.
        ```

        ```bash {name=bake watch="service:shop" for=10s}
        # Watch the shop; a critical check fails the step and the rollback swaps back.
        ```

        ### Rollback

        ```bash {name=swap-back}
        ln -sfn blue live.next && mv -T live.next live
        ```
        """;

    private sealed class Side : IAsyncDisposable
    {
        private volatile bool _failing;

        private Side(HttpReceiver receiver) => Receiver = receiver;

        public HttpReceiver Receiver { get; }

        public int Served;

        public bool Failing { set => _failing = value; }

        public static async Task<Side> StartAsync(string name)
        {
            Side? side = null;
            var receiver = await HttpReceiver.StartAsync(async (ctx, _) =>
            {
                Interlocked.Increment(ref side!.Served);
                ctx.Response.StatusCode = side._failing ? 500 : 200;
                await ctx.Response.WriteAsync(side._failing ? $"{name} broken" : $"{name} ok");
            });
            side = new Side(receiver);
            return side;
        }

        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    private static async Task<(RunbookHarness H, Side Blue, Side Green)> StartAsync()
    {
        var blue = await Side.StartAsync("blue");
        var green = await Side.StartAsync("green");
        var dir = new TempDirectory();
        var runbooks = dir.File("runbooks");
        foreach (var (name, side) in new[] { ("blue", blue), ("green", green) })
        {
            Directory.CreateDirectory(Path.Combine(runbooks, name));
            await File.WriteAllTextAsync(Path.Combine(runbooks, name, "url"), side.Receiver.Url("/health"));
        }

        File.CreateSymbolicLink(Path.Combine(runbooks, "live"), "blue");
        var services = $"""
              - id: shop
                checks:
                  - id: live
                    command: {"{"} run: 'curl -fsS --max-time 2 "$(cat {runbooks}/live/url)" || exit 2' {"}"}
                    every: 2s
                    timeout: 2s
                    fail_after: 2
            """;
        var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["blue-green.md"] = BlueGreen }, services: services, dir: dir);
        return (h, blue, green);
    }

    private static async Task<string> ChecksAsync(RunbookHarness h)
    {
        using var admin = h.Server.Admin();
        return await admin.GetStringAsync("/api/v1/checks?service=shop");
    }

    private static string Live(RunbookHarness h) => new FileInfo(h.File("live")).LinkTarget!;

    private static async Task<long> OpenIncidentAsync(RunbookHarness h)
    {
        using var admin = h.Server.Admin();
        var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "release 42 of the shop", severity = "P3", service = "shop" });
        return (await created.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;
    }

    private static async Task<List<string>> TimelineAsync(RunbookHarness h, long incident)
    {
        using var admin = h.Server.Admin();
        var detail = (await admin.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{incident}", VigilJson.Options))!;
        return detail.Timeline.Where(t => t.Kind == "runbook").Select(t => t.Text).ToList();
    }

    [Fact]
    public async Task BlueGreen_NewSideHealthy_SwapStays()
    {
        var (h, blue, green) = await StartAsync();
        await using var _ = h;
        await using var __ = blue;
        await using var ___ = green;
        var incident = await OpenIncidentAsync(h);

        var run = await h.EndAsync((await h.RunAsync(new { runbook = "blue-green", yes = true, incident })).Id);

        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        Assert.Equal("green", Live(h));
        Assert.True(green.Served > 0, "the check probed the new side through the symlink");
        var log = await h.LogAsync(run.Id);
        Assert.Contains("[vigil] gate passed: check shop/live has been ok for 2s", log, StringComparison.Ordinal);
        Assert.Contains("[vigil] gate passed: service shop stayed out of critical for 10s", log, StringComparison.Ordinal);
        var timeline = await TimelineAsync(h, incident);
        Assert.Contains(timeline, t => t.Contains("step 3 (bake) succeeded", StringComparison.Ordinal));
        Assert.DoesNotContain(timeline, t => t.Contains("rollback step", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BlueGreen_NewSideFailsDuringTheWatch_RollsBackAndTheOldSideServesAgain()
    {
        var (h, blue, green) = await StartAsync();
        await using var _ = h;
        await using var __ = blue;
        await using var ___ = green;
        var incident = await OpenIncidentAsync(h);
        var started = await h.RunAsync(new { runbook = "blue-green", yes = true, incident });

        // Green turns bad once the watch has begun: the swap and the wait both saw it healthy.
        await h.EventsAsync(started.Id, e => e.Type == RunEventType.Output && e.Line?.Contains("gate: watch", StringComparison.Ordinal) == true);
        Assert.Equal("green", Live(h));
        green.Failing = true;
        var run = await h.EndAsync(started.Id);

        Assert.True(run.Status == RunStatus.Failed, await h.LogAsync(run.Id) + await ChecksAsync(h));
        Assert.Equal(RollbackOutcome.Succeeded, run.Rollback);
        Assert.Contains("step 3 (bake) ran, but its gate failed: watch of service shop failed after", run.Error, StringComparison.Ordinal);
        Assert.Contains("check shop/live went critical at", run.Error, StringComparison.Ordinal);
        Assert.Equal("blue", Live(h));

        // The old side serves again: the live check probes blue and is ok.
        var servedBefore = blue.Served;
        await Eventually.UntilAsync(async () =>
        {
            using var admin = h.Server.Admin();
            return await admin.GetStringAsync("/api/v1/checks?service=shop");
        }, body => body.Contains("\"state\":\"ok\"", StringComparison.Ordinal) && blue.Served > servedBefore,
            h.Server.App.Services.GetRequiredService<IVigilStore>().NextCommitAsync, TimeSpan.FromSeconds(20), "the live check to be ok on blue again");

        var timeline = await TimelineAsync(h, incident);
        Assert.Contains(timeline, t => t.Contains("step 1 (swap) succeeded", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("step 3 (bake) failed: watch of service shop failed", StringComparison.Ordinal) && t.Contains("check shop/live went critical", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("rollback step 1 (swap-back) succeeded", StringComparison.Ordinal));
    }
}
