using Vigil.Core.Runbooks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>The runbook run repository, reached only through the store contract, surviving a reopen.</summary>
public abstract class RunbookRepositoryTests(Backend backend) : StoreTest(backend, T0)
{
    private static new readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);


    private static RunRequest Request(string runbook, long? incident = null, TimeSpan? rto = null) =>
        new(runbook, $"runbooks/{runbook}.md", "restart", "web", "production", new Dictionary<string, string> { ["unit"] = "web", ["token"] = "••••••" },
            "api", AutoConfirm: true, ["danger"], StepByStep: false, "hotfix", incident, rto);

    private Task<T> Record<T>(Func<IRunbookRepository, CancellationToken, Task<T>> work) =>
        Store.RecordAsync((s, ct) => work(s.Runbooks, ct), CancellationToken.None);

    [Fact]
    public async Task Runs_RoundTripTheirRequestAndState_AndListByRunbookIncidentAndDrill()
    {
        var first = await Record((r, c) => r.InsertRunAsync(Request("restart", incident: 7), RunStatus.PendingApproval, "alice", T0, T0.AddHours(1), null, c));
        var drill = await Record((r, c) => r.InsertRunAsync(Request("restore", rto: TimeSpan.FromMinutes(10)), RunStatus.Running, "bob", T0.AddMinutes(1), null, null, c));
        var second = await Record((r, c) => r.InsertRunAsync(Request("restart"), RunStatus.Running, "carol", T0.AddMinutes(2), null, "node-a", c));

        var done = second with { Status = RunStatus.Failed, StartedAt = T0.AddMinutes(2), EndedAt = T0.AddMinutes(3), Error = "step 2 failed", RollbackOutcome = RollbackOutcome.Succeeded };
        await Record(async (r, c) =>
        {
            await r.UpdateRunAsync(done, c);
            await r.AddStepAsync(new RunStep(second.Id, 1, false, 1, "stop", StepStatus.Succeeded, 0, T0.AddMinutes(2), T0.AddMinutes(2.5), "ok\n", 3, false), c);
            await r.AddStepAsync(new RunStep(second.Id, 2, true, 1, null, StepStatus.TimedOut, null, T0.AddMinutes(2.5), T0.AddMinutes(3), "…", 9000, true), c);
            return 0;
        });

        await ReopenAsync();

        var read = await Store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(first.Id, c), CancellationToken.None);
        Assert.NotNull(read);
        Assert.Null(read.Node);
        Assert.Equal("node-a", (await Store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(second.Id, c), CancellationToken.None))!.Node);
        Assert.Equal(first.Request.Parameters, read.Request.Parameters);
        Assert.Equal(["danger"], read.Request.Confirmed);
        Assert.Equal((7L, "hotfix", RunStatus.PendingApproval, T0.AddHours(1)), (read.Request.IncidentId!.Value, read.Request.FreezeOverride!, read.Status, read.ApprovalExpiresAt!.Value));

        var reread = await Store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(second.Id, c), CancellationToken.None);
        Assert.Equal(done, reread! with { Request = done.Request });
        var steps = await Store.ReadAsync((s, c) => s.Runbooks.ListStepsAsync(second.Id, c), CancellationToken.None);
        Assert.Equal([(1, false, StepStatus.Succeeded, (int?)0), (2, true, StepStatus.TimedOut, null)], steps.Select(s => (s.Seq, s.InRollback, s.Status, s.ExitCode)));
        Assert.True(steps[1].Truncated);

        var all = await Store.ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(), c), CancellationToken.None);
        Assert.Equal([second.Id, drill.Id, first.Id], all.Select(r => r.Id));
        Assert.Equal([second.Id, first.Id], (await Store.ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery("restart"), c), CancellationToken.None)).Select(r => r.Id));
        var drills = await Store.ReadAsync((s, c) => s.Runbooks.ListRunsAsync(new RunQuery(DrillsOnly: true), c), CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.Single(drills).Request.DrillRto);
        Assert.Equal([first.Id, drill.Id], (await Store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), CancellationToken.None)).Select(r => r.Id));
        Assert.Equal(first.Id, Assert.Single(await Store.ReadAsync((s, c) => s.Runbooks.ListForIncidentAsync(7, c), CancellationToken.None)).Id);
        var latest = await Store.ReadAsync((s, c) => s.Runbooks.LatestByRunbookAsync(c), CancellationToken.None);
        Assert.Equal((second.Id, drill.Id), (latest["restart"].Id, latest["restore"].Id));
    }

    public sealed class OnSqlite() : RunbookRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : RunbookRepositoryTests(Backend.Postgres);
}
