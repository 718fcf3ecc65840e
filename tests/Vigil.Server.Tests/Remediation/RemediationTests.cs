using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Incidents;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Incidents;
using Vigil.Server.Remediation;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Remediation;

/// <summary>
/// Automatic remediation end to end: a real server, a real command check on a file in its temp folder, real
/// bash runbook steps that heal (or fail to heal) it, and the incident's stored timeline and audit trail.
/// </summary>
public sealed class RemediationTests
{
    private static string Config(string remediate, string extra = "") => $$"""
        vigil: { name: remediation-test, environment: dev }
        severities:
          - { id: P1, name: High, page: true }
          - { id: P3, name: Low }
        services:
          - id: web
            checks:
              - id: health
                command: { run: "test ! -f broken || exit 2" }
                every: 1s
                timeout: 1s
                severity: P1
                remediate: {{remediate}}
        notifiers:
          - id: pager
            webhook: { url: "http://127.0.0.1:9/pages" }
            retry: { attempts: 1 }
        escalation_policies:
          - id: default
            steps:
              - { after: 1h, notify: [notifier:pager] }
        runbooks:
          paths: [runbooks/]
        {{extra}}
        """;

    private const string Heal = """
        ---
        id: heal
        service: web
        ---
        # Heal web

        ```bash {name=heal mutating=true}
        rm -f ../broken
        echo healed
        ```
        """;

    private const string Broken = """
        ---
        id: heal
        service: web
        ---
        # Heal web

        ```bash {name=heal mutating=true}
        echo "cannot heal this" >&2
        exit 3
        ```
        """;

    private static async Task<TestServer> StartAsync(string config, string runbook)
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        await File.WriteAllTextAsync(dir.File("runbooks/heal.md"), runbook);
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), config);
        return await TestServer.StartAsync(dir: dir);
    }

    private static IVigilStore Store(TestServer server) => server.App.Services.GetRequiredService<IVigilStore>();

    private static Task<T> WaitAsync<T>(TestServer server, Func<IStoreSession, CancellationToken, Task<T>> read, Func<T, bool> done, string what) =>
        Eventually.UntilAsync(() => Store(server).ReadAsync(read, CancellationToken.None), done, Store(server).NextCommitAsync, TimeSpan.FromSeconds(30), what);

    private static Task<IReadOnlyList<Incident>> IncidentsAsync(IStoreSession s, CancellationToken ct) => s.Incidents.ListAsync(new IncidentQuery(), ct);

    private static async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(TestServer server, long incident) =>
        await Store(server).ReadAsync((s, c) => s.Incidents.ListTimelineAsync(incident, c), CancellationToken.None);

    [Fact]
    public async Task FailingCheck_OpensAnIncident_TheRunbookHealsIt_AndTheIncidentAutoResolves()
    {
        await using var server = await StartAsync(Config("{ runbook: heal, max_runs: 2 per 1h }"), Heal);
        await File.WriteAllTextAsync(server.Dir.File("broken"), "");

        var resolved = await WaitAsync(server, IncidentsAsync, l => l.Count == 1 && l[0].Status == IncidentStatus.Resolved, "the incident to open and auto-resolve");
        var incident = resolved[0];
        await WaitAsync(server, (s, c) => s.Remediations.ListForIncidentAsync(incident.Id, c), l => l.Count == 1 && l[0].Outcome != RemediationOutcome.Running, "the remediation's end");
        Assert.False(File.Exists(server.Dir.File("broken")));

        var run = Assert.Single(await Store(server).ReadAsync((s, c) => s.Runbooks.ListForIncidentAsync(incident.Id, c), CancellationToken.None));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("system:remediation", run.RequestedBy);
        Assert.Equal("remediation", run.Request.Trigger);

        var timeline = await TimelineAsync(server, incident.Id);
        var started = Assert.Single(timeline, t => t.Kind == TimelineKinds.Remediation && t.Text.Contains("run 1 of at most 2 per 1h", StringComparison.Ordinal));
        Assert.Equal("Remediation heal › heal-web (check web/health): run 1 of at most 2 per 1h", started.Text);
        Assert.Contains(timeline, t => t.Kind == TimelineKinds.Remediation && t.Text.Contains($"run #{run.Id} succeeded", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Kind == "runbook" && t.Text.Contains("succeeded", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Kind == TimelineKinds.Resolved && t.Text == "Auto-resolved: every attached signal has resolved");
        Assert.DoesNotContain(timeline, t => t.Kind == TimelineKinds.Page);

        var record = Assert.Single(await Store(server).ReadAsync((s, c) => s.Remediations.ListForIncidentAsync(incident.Id, c), CancellationToken.None));
        Assert.Equal(RemediationOutcome.Succeeded, record.Outcome);
        Assert.Equal(run.Id, record.RunId);
        var audit = await Store(server).ReadAsync((s, c) => s.Audit.TailAsync(500, c), CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "remediation.start" && a.Actor == "system:remediation" && a.Target == $"incident/{incident.Id}");
        Assert.Contains(audit, a => a.Action == "remediation.end" && a.Target == $"incident/{incident.Id}");
    }

    [Fact]
    public async Task AReopening_BehindMoreThanAPageOfNewerOpeningsWithNothingToRemediate_IsStillDecided()
    {
        await using var server = await StartAsync(Config("{ runbook: heal, max_runs: 2 per 1h, cooldown: 0s }"), Heal);
        await File.WriteAllTextAsync(server.Dir.File("broken"), "");
        var first = (await WaitAsync(server, IncidentsAsync, l => l.Count == 1 && l[0].Status == IncidentStatus.Resolved, "the first opening to heal and resolve"))[0];

        // An alert storm: more openings than one page read, all newer than the check's incident, none with a remediation.
        var policy = server.App.Services.GetRequiredService<IncidentPolicies>().Current;
        await Store(server).RecordAsync(async (s, c) =>
        {
            for (var i = 0; i <= RemediationEngine.Page; i++)
            {
                await IncidentWriter.ApplySignalAsync(s, policy, new Signal(SignalSource.Events, $"storm-{i}", SignalStatus.Firing, "storm", "P3", null,
                    new Dictionary<string, string>(), s.Now), "test", c);
            }

            return 0;
        }, CancellationToken.None);

        // The check's fault comes back: its incident reopens behind the storm, and its remediation is still decided (and run).
        await File.WriteAllTextAsync(server.Dir.File("broken"), "");
        var decided = await WaitAsync(server, (s, c) => s.Remediations.ListForIncidentAsync(first.Id, c), l => l.Any(r => r.Generation == 1),
            "the reopening's remediation decision");
        Assert.Equal([0, 1], decided.Select(r => r.Generation).Order());
        await WaitAsync(server, (s, c) => s.Incidents.GetAsync(first.Id, c), i => i!.Status == IncidentStatus.Resolved, "the reopening to heal and resolve");
    }

    [Fact]
    public async Task MaxRuns_StopsALoop_AndTheRefusalEscalatesAtOnce()
    {
        await using var server = await StartAsync(Config("{ runbook: heal, max_runs: 2 per 1h, cooldown: 0s }"), Heal);
        for (var round = 1; round <= 2; round++)
        {
            await File.WriteAllTextAsync(server.Dir.File("broken"), "");
            var count = round;
            await WaitAsync(server, (s, c) => s.Remediations.ListStartsAsync("check:web/health", DateTimeOffset.MinValue, c), l => l.Count == count, $"remediation {round} to start");
            await WaitAsync(server, IncidentsAsync, l => l.All(i => i.Status == IncidentStatus.Resolved), $"round {round} to heal and resolve");
        }

        // The fault comes back a third time within the hour: max_runs says no, and people take over at once.
        await File.WriteAllTextAsync(server.Dir.File("broken"), "");
        var incidents = await WaitAsync(server, IncidentsAsync, l => l.Any(i => i.IsOpen), "the third opening");
        var open = incidents.Single(i => i.IsOpen);
        var refused = await WaitAsync(server, (s, c) => s.Remediations.ListForIncidentAsync(open.Id, c),
            l => l.Any(r => r.Generation == open.Reopened && r.Outcome == RemediationOutcome.Refused), "the refusal");
        Assert.Contains("already ran 2 time(s) in the last 1h (max_runs: 2 per 1h)", refused[^1].Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(server.Dir.File("broken"))); // nothing healed it

        var timeline = await Eventually.UntilAsync(() => TimelineAsync(server, open.Id), t => t.Any(e => e.Kind == TimelineKinds.Page),
            Store(server).NextCommitAsync, TimeSpan.FromSeconds(30), "the page, though the step's delay is 1h");
        var why = Assert.Single(timeline, t => t.Kind == TimelineKinds.Remediation && t.Text.Contains("max_runs", StringComparison.Ordinal));
        Assert.Contains("escalating now", why.Text, StringComparison.Ordinal);
        Assert.Contains(timeline, t => t.Kind == TimelineKinds.Page && t.Text.StartsWith("Escalation step 1 of default: paging", StringComparison.Ordinal));
        Assert.Equal(2, (await Store(server).ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(), c), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Freeze_BlocksRemediation_AndTheTimelineSaysWhy()
    {
        await using var server = await StartAsync(Config("{ runbook: heal }"), Heal);
        using (var admin = server.Admin())
        {
            var frozen = await admin.PostAsJsonAsync("/api/v1/freezes", new { service = "web", reason = "release week" });
            Assert.True(frozen.IsSuccessStatusCode, await frozen.Content.ReadAsStringAsync());
        }

        await File.WriteAllTextAsync(server.Dir.File("broken"), "");
        var incident = (await WaitAsync(server, IncidentsAsync, l => l.Count == 1, "the incident to open"))[0];
        var record = (await WaitAsync(server, (s, c) => s.Remediations.ListForIncidentAsync(incident.Id, c), l => l.Count == 1, "the decision"))[0];
        Assert.Equal(RemediationOutcome.Refused, record.Outcome);
        Assert.Null(record.RunId);

        var timeline = await TimelineAsync(server, incident.Id);
        var why = Assert.Single(timeline, t => t.Kind == TimelineKinds.Remediation);
        Assert.StartsWith("Remediation heal › heal-web (check web/health) not run: service web is frozen (freeze #1 by admin: release week); remediation never runs during a freeze",
            why.Text, StringComparison.Ordinal);
        Assert.Empty(await Store(server).ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(), c), CancellationToken.None));
        Assert.True(File.Exists(server.Dir.File("broken")));
        Assert.Equal(IncidentStatus.Triggered, (await Store(server).ReadAsync((s, c) => s.Incidents.GetAsync(incident.Id, c), CancellationToken.None))!.Status);
        var audit = await Store(server).ReadAsync((s, c) => s.Audit.TailAsync(500, c), CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "remediation.refuse" && a.Target == $"incident/{incident.Id}" && a.Reason!.Contains("frozen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedRemediation_EscalatesAtOnce_WithoutWaitingForTheStepDelay()
    {
        await using var server = await StartAsync(Config("{ runbook: heal }"), Broken);
        await File.WriteAllTextAsync(server.Dir.File("broken"), "");
        var incident = (await WaitAsync(server, IncidentsAsync, l => l.Count == 1, "the incident to open"))[0];

        var timeline = await Eventually.UntilAsync(() => TimelineAsync(server, incident.Id), t => t.Any(e => e.Kind == TimelineKinds.Page),
            Store(server).NextCommitAsync, TimeSpan.FromSeconds(30), "the page, though the step's delay is 1h");
        var failed = Assert.Single(timeline, t => t.Kind == TimelineKinds.Remediation && t.Text.Contains("failed", StringComparison.Ordinal));
        Assert.Contains("step 1 (heal) failed with exit code 3", failed.Text, StringComparison.Ordinal);
        Assert.Contains("escalating now", failed.Text, StringComparison.Ordinal);
        Assert.True(timeline.First(t => t.Kind == TimelineKinds.Page).At < incident.OpenedAt + TimeSpan.FromMinutes(1));
        Assert.Equal(RemediationOutcome.Failed,
            Assert.Single(await Store(server).ReadAsync((s, c) => s.Remediations.ListForIncidentAsync(incident.Id, c), CancellationToken.None)).Outcome);
    }
}
