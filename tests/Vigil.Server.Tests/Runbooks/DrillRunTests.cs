using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Escalation;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>
/// Fault-injection drills end to end: a real server whose http check probes a loopback service, real bash steps that break
/// and fix it (real curl), the escalation engine with a webhook pager on loopback, and the stored drill, window and audit trail.
/// </summary>
public sealed class DrillRunTests
{
    /// <summary>
    /// The drilled service: /health answers 500 while broken; POST /break and /fix flip it; /quiet always answers 200;
    /// /upstream answers 500 from the first break on (a dependency the fix does not bring back).
    /// </summary>
    private sealed class Target : IAsyncDisposable
    {
        private volatile bool _broken;
        private volatile bool _everBroken;

        private Target(HttpReceiver receiver) => Receiver = receiver;

        public HttpReceiver Receiver { get; }

        public bool Broken => _broken;

        public static async Task<Target> StartAsync()
        {
            Target? target = null;
            var receiver = await HttpReceiver.StartAsync(async (ctx, _) =>
            {
                switch (ctx.Request.Path.Value)
                {
                    case "/break":
                        target!._broken = true;
                        target._everBroken = true;
                        break;
                    case "/fix":
                        target!._broken = false;
                        break;
                    case "/health":
                        ctx.Response.StatusCode = target!._broken ? 500 : 200;
                        break;
                    case "/upstream":
                        ctx.Response.StatusCode = target!._everBroken ? 500 : 200;
                        break;
                }

                await ctx.Response.WriteAsync("ok");
            });
            target = new Target(receiver);
            return target;
        }

        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    private static string Drill(Target target, string checks, string detectWithin = "2m") => $$"""
        ---
        id: shop-outage
        service: shop
        drill: { checks: [{{checks}}], detect_within: {{detectWithin}}, recover_within: 2m }
        ---
        # Shop outage drill

        ## Inject

        ```bash {name=break mutating=true}
        curl -fsS -X POST {{target.Receiver.Url("/break")}}
        ```

        ## Recover

        ```bash {name=fix mutating=true}
        curl -fsS -X POST {{target.Receiver.Url("/fix")}}
        ```

        ## Verify

        ```bash {name=probe}
        curl -fsS {{target.Receiver.Url("/health")}}
        ```
        """;

    private static async Task<(RunbookHarness H, Target Target, HttpReceiver Pager)> StartAsync(string checks = "health", string detectWithin = "2m",
        Func<Target, string>? extraServices = null, string runbooksConfig = "")
    {
        var target = await Target.StartAsync();
        var pager = await HttpReceiver.StartAsync((ctx, _) => ctx.Response.WriteAsync("ok"));
        var services = $$"""
              - id: shop
                rto: 10m               # wide: detection and recovery are real probes on a machine that may be loaded
                checks:
                  - { id: health, http: { url: "{{target.Receiver.Url("/health")}}" }, every: 1s, timeout: 1s, severity: P1 }
                  - { id: quiet, http: { url: "{{target.Receiver.Url("/quiet")}}" }, every: 1s, timeout: 1s, severity: P1 }
            {{extraServices?.Invoke(target) ?? ""}}
            """;
        var extra = $$"""
            severities:
              - { id: P1, name: High, page: true }
              - { id: P3, name: Low }
            notifiers:
              - { id: pager, webhook: { url: "{{pager.Url("/page")}}" }, retry: { attempts: 1 } }
            escalation_policies:
              - id: default
                steps:
                  - { after: 0m, notify: [notifier:pager] }
            """;
        var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["shop-outage.md"] = Drill(target, checks, detectWithin) },
            runbooksConfig + "\n" + extra,
            services: services);
        return (h, target, pager);
    }

    private static IVigilStore Store(RunbookHarness h) => h.Server.App.Services.GetRequiredService<IVigilStore>();

    private static async Task<DrillView> StartDrillAsync(RunbookHarness h, object body)
    {
        using var admin = h.Server.Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/drills", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<DrillView>(text, VigilJson.Options)!;
    }

    private static async Task<DrillRecord> EndAsync(RunbookHarness h, long id) =>
        (await Eventually.UntilAsync(() => Store(h).ReadAsync((s, c) => s.Drills.GetAsync(id, c), CancellationToken.None),
            d => d is { Status: not DrillStatus.Running }, Store(h).NextCommitAsync, TimeSpan.FromSeconds(90), $"drill #{id} to end"))!;

    private static async Task ShopCheckOkAsync(RunbookHarness h) =>
        await Eventually.UntilAsync(async () =>
        {
            using var admin = h.Server.Admin();
            return await admin.GetStringAsync("/api/v1/checks?service=shop");
        }, json => json.Split("\"state\":\"ok\"").Length == 3, Store(h).NextCommitAsync, TimeSpan.FromSeconds(30), "both shop checks to be ok first");

    [Fact]
    public async Task Drill_DetectedAndRecoveredWithinTheRto_Passes_NobodyIsPaged_AndTheWindowIsAudited()
    {
        var (h, target, pager) = await StartAsync();
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        await ShopCheckOkAsync(h);
        var pagesBefore = pager.Requests.Count; // a check that flapped under load before the drill is not the drill's business

        var started = await StartDrillAsync(h, new { runbook = "shop-outage" });
        Assert.Equal(DrillStatus.Running, started.Status);
        Assert.Equal(600, started.RtoSeconds); // the service's rto: 10m

        var drill = await EndAsync(h, started.Id);
        Assert.True(drill.Status == DrillStatus.Passed, drill.Reason);
        Assert.StartsWith("detected in ", drill.Reason, StringComparison.Ordinal);
        Assert.True(drill.StartedAt <= drill.InjectedAt && drill.InjectedAt <= drill.DetectedAt && drill.DetectedAt <= drill.RecoveredAt && drill.RecoveredAt <= drill.EndedAt,
            $"{drill.StartedAt:O} {drill.InjectedAt:O} {drill.DetectedAt:O} {drill.RecoveredAt:O} {drill.EndedAt:O}");
        Assert.False(target.Broken);

        // Detected by Vigil's own check: the incident carries the health check's signal, and its paging was held by the drill's window.
        var incidentId = drill.IncidentId!.Value;
        var (signals, escalation, window) = await Store(h).ReadAsync(async (s, c) => (await s.Incidents.ListSignalsAsync(incidentId, c),
            await s.Paging.GetEscalationAsync(incidentId, c), await s.Operations.GetWindowAsync(drill.WindowId!.Value, c)), CancellationToken.None);
        Assert.Contains(signals, g => g.DedupKey == "shop/health");
        Assert.Equal(EscalationStatus.Held, escalation!.Status);
        Assert.Equal(["shop"], window!.Services);
        Assert.Equal("system:drills", window.CreatedBy);
        Assert.NotNull(window.CancelledAt);
        Assert.Equal(pagesBefore, pager.Requests.Count);

        var audit = await Store(h).ReadAsync((s, c) => s.Audit.TailAsync(1000, c), CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "drill.start" && a.Actor == "admin" && a.Target == $"drill/{drill.Id}");
        var created = Assert.Single(audit, a => a.Action == "window.create" && a.Target == $"window/{drill.WindowId}");
        Assert.Equal("system:drills", created.Actor);
        Assert.Contains($"drill #{drill.Id} of runbook shop-outage", created.Reason, StringComparison.Ordinal);
        Assert.Contains(audit, a => a.Action == "window.cancel" && a.Actor == "system:drills" && a.Target == $"window/{drill.WindowId}");
        Assert.Contains(audit, a => a.Action == "drill.end" && a.Target == $"drill/{drill.Id}");

        // Three ordinary runs, one per procedure, requested by the person who started the drill.
        var runs = await Store(h).ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(), c), CancellationToken.None);
        Assert.Equal(["inject", "recover", "verify"], runs.OrderBy(r => r.Id).Select(r => r.Request.Procedure));
        Assert.All(runs, r => Assert.Equal((RunStatus.Succeeded, "admin", "drill"), (r.Status, r.RequestedBy, r.Request.Trigger)));

        // The history, as the CLI shows it.
        var list = await h.Server.CliAsync("drill", "list", "-o", "json");
        Assert.Equal(0, list.ExitCode);
        var view = JsonSerializer.Deserialize<DrillListView>(list.Out, VigilJson.Options)!;
        var shown = Assert.Single(view.Drills);
        Assert.Equal((DrillStatus.Passed, drill.Id), (shown.Status, shown.Id));
        Assert.NotNull(shown.TimeToDetectSeconds);
        Assert.Equal(("shop", 1, 1), (view.Trends[0].Service, view.Trends[0].Drills, view.Trends[0].Passed));
        var table = await h.Server.CliAsync("drill", "list");
        Assert.Contains("PASS", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_SlowerThanTheRto_Fails_AndSaysByHowMuch()
    {
        var (h, target, pager) = await StartAsync();
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        await ShopCheckOkAsync(h);
        var pagesBefore = pager.Requests.Count; // a check that flapped under load before the drill is not the drill's business

        // The check is probed every second: detection and recovery are two probes at least, so 200ms cannot be met.
        var drill = await EndAsync(h, (await StartDrillAsync(h, new { runbook = "shop-outage", rto = "200ms" })).Id);

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.NotNull(drill.DetectedAt);
        Assert.NotNull(drill.RecoveredAt);
        Assert.Matches("^took [0-9.]+ s from injection to recovery, over the RTO of 200ms$", drill.Reason);
        Assert.Equal(pagesBefore, pager.Requests.Count);
    }

    [Fact]
    public async Task Drill_WhoseChecksNeverNotice_FailsNotDetected_StillRecovers_AndPagesNobody()
    {
        // The drill expects `quiet` to notice, but the fault only breaks /health: quiet stays ok.
        var (h, target, pager) = await StartAsync(checks: "quiet", detectWithin: "3s");
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        await ShopCheckOkAsync(h);
        var pagesBefore = pager.Requests.Count; // a check that flapped under load before the drill is not the drill's business

        var drill = await EndAsync(h, (await StartDrillAsync(h, new { runbook = "shop-outage" })).Id);

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.StartsWith("not detected: no expected check went critical and opened an incident within 3s of the injection", drill.Reason, StringComparison.Ordinal);
        Assert.Null(drill.DetectedAt);
        Assert.NotNull(drill.RecoverRunId);
        Assert.False(target.Broken);
        Assert.Equal(pagesBefore, pager.Requests.Count);
    }

    [Fact]
    public async Task Drill_WhoseFaultPagesForAnotherService_Fails_PagingWouldHaveHappened()
    {
        // `edge` depends on what the drill breaks but is not the drilled service, so no window holds its paging. Its
        // endpoint stays down after the fix: had it shared /health, a shop probe could detect and the fix land between
        // two of edge's probes (seen under load), and edge would never have failed.
        var (h, target, pager) = await StartAsync(extraServices: t => $$"""
              - id: edge
                checks:
                  - { id: upstream, http: { url: "{{t.Receiver.Url("/upstream")}}" }, every: 1s, timeout: 1s, severity: P1 }
            """);
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        await ShopCheckOkAsync(h);
        var pagesBefore = pager.Requests.Count; // a check that flapped under load before the drill is not the drill's business

        var drill = await EndAsync(h, (await StartDrillAsync(h, new { runbook = "shop-outage" })).Id);

        Assert.Equal(DrillStatus.Failed, drill.Status);
        Assert.Contains("paging would have happened: incident #", drill.Reason, StringComparison.Ordinal);
        Assert.Contains("(edge)", drill.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartDrill_BadRequests_AreClear400s()
    {
        var (h, target, pager) = await StartAsync();
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        await File.WriteAllTextAsync(h.File("plain.md"), "---\nservice: shop\n---\n# Plain\n\n```bash\necho hi\n```\n");
        using var admin = h.Server.Admin();

        async Task<string> Bad(object body)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/drills", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.StatusCode}: {text}");
            return text;
        }

        Assert.Contains("is not a fault-injection drill: its front matter has no `drill:`", await Bad(new { runbook = "plain" }), StringComparison.Ordinal);
        Assert.Contains("is not a positive duration", await Bad(new { runbook = "shop-outage", rto = "soon" }), StringComparison.Ordinal);
        Assert.Contains("runbook nope", await Bad(new { runbook = "nope" }), StringComparison.Ordinal);

        using var viewer = h.Server.Client(await h.Server.CreateTokenAsync("watcher", "viewer"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/drills", new { runbook = "shop-outage" })).StatusCode);
    }

    [Fact]
    public async Task StartDrill_InAnEnvironmentThatNeedsApprovals_IsRefusedUpFront_NotLeftWaiting()
    {
        // runbooks: { require_approval_in: [dev] } (the harness's environment): inject and recover change things.
        var (h, target, pager) = await StartAsync(runbooksConfig: "  require_approval_in: [dev]");
        await using var _h = h;
        await using var _t = target;
        await using var _p = pager;
        using var admin = h.Server.Admin();

        var response = await admin.PostAsJsonAsync("/api/v1/drills", new { runbook = "shop-outage" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Contains("environment dev is in runbooks.require_approval_in", text, StringComparison.Ordinal);
        Assert.Empty(await Store(h).ReadAsync((s, c) => s.Drills.ListUnfinishedAsync(c), CancellationToken.None));
        Assert.False(target.Broken);
    }
}
