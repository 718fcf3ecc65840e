using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>Remediation decisions (migration 12) through the store contract: counted per key, found per opening, kept across a reopen of the file.</summary>
public abstract class RemediationRepositoryTests(Backend backend) : StoreTest(backend)
{
    private Task<Incident> OpenAsync(string key) => Record((s, c) => s.Incidents.InsertAsync(IncidentRules.Open(key, new SeverityLevel("P1", "High", 0, null, true, false, []),
        "web", key, "system:checks", true, new Dictionary<string, string>(), Time.GetUtcNow()), c));

    private static RemediationRecord Draft(long incident, RemediationOutcome outcome, DateTimeOffset at, int generation = 0) =>
        new(0, incident, generation, "check:web/health", "check web/health", "restart", "restart", outcome, null, "why", at, null);

    [Fact]
    public async Task Decisions_CountOnlyStartsPerKey_FindUndecidedOpenings_AndSurviveAReopen()
    {
        var first = await OpenAsync("web/health");
        var second = await OpenAsync("web/other");
        var undecided = await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, 0, 10, c));
        Assert.Equal([first.Id, second.Id], undecided.Select(u => u.Id)); // oldest first
        Assert.All(undecided, u => Assert.False(u.EscalationEvaluated));
        // Pages: the next one starts after the last id of the one before.
        Assert.Equal([first.Id], (await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, 0, 1, c))).Select(u => u.Id));
        Assert.Equal([second.Id], (await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, first.Id, 1, c))).Select(u => u.Id));
        Assert.Empty(await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, second.Id, 1, c)));

        var ran = await Record((s, c) => s.Remediations.AddAsync(Draft(first.Id, RemediationOutcome.Running, T0), c));
        await Record((s, c) => s.Remediations.AddAsync(Draft(second.Id, RemediationOutcome.Refused, T0.AddMinutes(1)), c));
        Assert.Empty(await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, 0, 10, c)));
        await Assert.ThrowsAnyAsync<Exception>(() => Record((s, c) => s.Remediations.AddAsync(Draft(first.Id, RemediationOutcome.Running, T0), c))); // one per opening

        Assert.Equal([T0], await Record((s, c) => s.Remediations.ListStartsAsync("check:web/health", T0.AddHours(-1), c))); // refusals do not count
        Assert.Empty(await Record((s, c) => s.Remediations.ListStartsAsync("check:web/health", T0.AddSeconds(1), c)));
        Assert.Equal(ran.Id, Assert.Single(await Record((s, c) => s.Remediations.ListRunningAsync(c))).Id);

        await Record(async (s, c) =>
        {
            await s.Remediations.UpdateAsync(ran with { Outcome = RemediationOutcome.Succeeded, RunId = null, Reason = "why — healed", EndedAt = T0.AddMinutes(2) }, c);
            return 0;
        });
        await ReopenAsync();

        Assert.Empty(await Record((s, c) => s.Remediations.ListRunningAsync(c)));
        var stored = Assert.Single(await Record((s, c) => s.Remediations.ListForIncidentAsync(first.Id, c)));
        Assert.Equal((RemediationOutcome.Succeeded, "why — healed", T0.AddMinutes(2), T0), (stored.Outcome, stored.Reason, stored.EndedAt, stored.DecidedAt));
    }

    [Fact]
    public async Task EscalateNow_BringsOnlyTheNextPendingStepForward()
    {
        var incident = await OpenAsync("web/health");
        await Record(async (s, c) =>
        {
            await s.Paging.UpsertEscalationAsync(new EscalationRecord(incident.Id, 0, "P1", "default", EscalationStatus.Running, null, T0, T0, false), c);
            await s.Paging.AddStepsAsync(incident.Id, [new EscalationStepPlan(0, 0, T0.AddMinutes(5)), new EscalationStepPlan(1, 0, T0.AddMinutes(15))], c);
            return 0;
        });
        Assert.True(Assert.Single(await Record((s, c) => s.Remediations.ListUndecidedIncidentsAsync(T0, 0, 10, c))).EscalationEvaluated);

        Assert.Equal(1, await Record((s, c) => s.Remediations.EscalateNowAsync(incident.Id, T0.AddMinutes(1), c)));
        var due = await Record((s, c) => s.Paging.ListDueStepsAsync(T0.AddMinutes(1), 10, c));
        Assert.Equal((0, T0.AddMinutes(1)), (Assert.Single(due).Step, due[0].DueAt));
        Assert.Equal(0, await Record((s, c) => s.Remediations.EscalateNowAsync(incident.Id, T0.AddMinutes(1), c))); // already due: nothing moves
    }

    public sealed class OnSqlite() : RemediationRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : RemediationRepositoryTests(Backend.Postgres);
}
