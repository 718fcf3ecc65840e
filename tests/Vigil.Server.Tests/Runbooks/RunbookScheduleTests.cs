using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Incidents;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Incidents;
using Vigil.Server.Runbooks;
using Vigil.Server.Tests.Lifecycle;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>Scheduled runs and approval expiry on a fake clock, with real bash steps and a real SQLite store.</summary>
public sealed class RunbookScheduleTests
{
    private const string Config = """
        vigil: { name: schedule-test, environment: production }
        severities:
          - { id: SEV1, name: Critical, page: true }
          - { id: SEV2, name: Minor }
        services:
          - { id: web }
        runbooks:
          paths: [runbooks/]
          require_approval_in: [production]
          approval_ttl: 1h
          schedules:
            - { id: nightly, runbook: rotate, cron: "0 3 * * *" }
        """;

    private const string Rotate = """
        ---
        id: rotate
        service: web
        ---
        # Rotate

        ```bash {name=rotate}
        echo rotating
        test ! -f broken
        ```
        """;

    [Fact]
    public async Task Schedule_RunsAtItsCronTime_AFailureOpensAnIncident_AndTheNextSuccessResolvesIt()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        await File.WriteAllTextAsync(dir.File("runbooks/rotate.md"), Rotate);
        await File.WriteAllTextAsync(dir.File("runbooks/broken"), "");
        await using var h = await LifecycleHarness.StartAsync(Config, dir, new(new DateTimeOffset(2026, 11, 23, 2, 58, 0, TimeSpan.Zero)));
        var (runtime, intake, scheduler) = await WireAsync(h);

        await scheduler.SweepAsync(CancellationToken.None); // learns the next time: 03:00
        Assert.Empty(await RunsAsync(h));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await scheduler.SweepAsync(CancellationToken.None);
        Assert.Empty(await RunsAsync(h)); // 02:59: not yet

        h.Time.Advance(TimeSpan.FromMinutes(1.5));
        await scheduler.SweepAsync(CancellationToken.None);
        await scheduler.FollowUpsAsync();
        var failed = Assert.Single(await RunsAsync(h));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("schedule:nightly", failed.RequestedBy);
        Assert.Null(failed.ApprovedBy); // schedules are reviewed in config; they do not wait for approval

        var incident = Assert.Single(await h.IncidentsAsync());
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Equal("web", incident.Service);
        Assert.Equal("SEV2", incident.Severity); // the least severe level by default
        Assert.Contains("rotate", incident.Title, StringComparison.Ordinal);

        // Fixed; the next night's run succeeds and resolves the incident.
        File.Delete(dir.File("runbooks/broken"));
        h.Time.Advance(TimeSpan.FromDays(1));
        await scheduler.SweepAsync(CancellationToken.None);
        await scheduler.FollowUpsAsync();
        Assert.Equal(RunStatus.Succeeded, (await RunsAsync(h))[0].Status);
        Assert.Equal(IncidentStatus.Resolved, (await h.IncidentAsync(incident.Id)).Status);

        await runtime.StopAsync(CancellationToken.None);
        await intake.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task PendingApproval_ExpiresAfterTheTtl_AndCannotBeApprovedThen()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        // Approval is for changes: a run of rotate's read-only steps would start at once, so its step says it changes.
        await File.WriteAllTextAsync(dir.File("runbooks/rotate.md"), Rotate.Replace("{name=rotate}", "{name=rotate mutating=true}", StringComparison.Ordinal));
        await using var h = await LifecycleHarness.StartAsync(Config, dir);
        var (runtime, intake, scheduler) = await WireAsync(h);

        var entry = runtime.Catalog().Find("rotate")!;
        var plan = RunbookPlanner.Plan(entry.Runbook, null, new Dictionary<string, string>(), runtime.PlanOptions());
        var request = new RunRequest(entry.Id, entry.Path, plan.Procedure!.Slug, entry.Service, "production", plan.Shown, "api", true, [], false, null, null, null);
        var created = await runtime.CreateAsync(new RunStart(entry, plan, request, "alice"), CancellationToken.None);
        Assert.Null(created.Refusal);
        var run = created.Value!;
        Assert.Equal(RunStatus.PendingApproval, run.Status);
        Assert.Equal(h.Now + TimeSpan.FromHours(1), run.ApprovalExpiresAt);

        h.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await runtime.ExpireApprovalsAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await scheduler.SweepAsync(CancellationToken.None));

        var expired = (await RunsAsync(h))[0];
        Assert.Equal(RunStatus.Expired, expired.Status);
        Assert.Contains("nobody approved", expired.Error, StringComparison.Ordinal);
        var late = await runtime.ApproveAsync(run.Id, "bob", null, CancellationToken.None);
        Assert.Equal(Vigil.Core.Results.RefusalKind.Conflict, late.Refusal?.Kind);
        Assert.Contains("expired", late.Refusal!.Message, StringComparison.Ordinal);

        await runtime.StopAsync(CancellationToken.None);
        await intake.StopAsync(CancellationToken.None);
    }

    private static async Task<(RunbookRuntime Runtime, IntakeQueue Intake, RunbookScheduler Scheduler)> WireAsync(LifecycleHarness h)
    {
        var runtime = new RunbookRuntime(h.Store, h.Config, h.Time, NullLogger<RunbookRuntime>.Instance);
        await runtime.StartAsync(CancellationToken.None);
        var intake = new IntakeQueue(h.Store, h.Policies, h.Health, NullLogger<IntakeQueue>.Instance);
        await intake.StartAsync(CancellationToken.None);
        return (runtime, intake, new RunbookScheduler(runtime, h.Config, h.Policies, intake, h.Time, h.Health, NullLogger<RunbookScheduler>.Instance));
    }

    private static Task<IReadOnlyList<RunbookRun>> RunsAsync(LifecycleHarness h) =>
        h.Store.ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(), c), CancellationToken.None);
}
