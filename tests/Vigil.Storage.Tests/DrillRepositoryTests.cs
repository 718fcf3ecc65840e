using Vigil.Core.Runbooks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>Fault-injection drills (migration 14) through the store contract: every field round-trips, newest first, unfinished found after a reopen.</summary>
public abstract class DrillRepositoryTests(Backend backend) : StoreTest(backend)
{
    private static DrillRecord Draft(string service) =>
        new(0, "outage", service, DrillStatus.Running, "alice", T0, null, null, null, null, TimeSpan.FromMinutes(2), null, null, null, null, null, "starting");

    [Fact]
    public async Task Drills_RoundTripEveryField_ListNewestFirstPerService_AndUnfinishedSurviveAReopen()
    {
        var first = await Record((s, c) => s.Drills.InsertAsync(Draft("api"), c));
        var second = await Record((s, c) => s.Drills.InsertAsync(Draft("db"), c));
        var ended = first with
        {
            Status = DrillStatus.Passed, InjectedAt = T0.AddSeconds(1), DetectedAt = T0.AddSeconds(5.5), RecoveredAt = T0.AddSeconds(30), EndedAt = T0.AddMinutes(1),
            IncidentId = 7, WindowId = 3, InjectRunId = 10, RecoverRunId = 11, VerifyRunId = 12, Reason = "detected in 4.5 s",
        };
        await Record(async (s, c) =>
        {
            await s.Drills.UpdateAsync(ended, c);
            return 0;
        });

        Assert.Equal(ended, await Record((s, c) => s.Drills.GetAsync(first.Id, c)));
        Assert.Equal([second.Id, first.Id], (await Record((s, c) => s.Drills.ListAsync(null, 10, c))).Select(d => d.Id));
        Assert.Equal([first.Id], (await Record((s, c) => s.Drills.ListAsync("api", 10, c))).Select(d => d.Id));
        Assert.Null(await Record((s, c) => s.Drills.GetAsync(999, c)));

        await ReopenAsync();
        Assert.Equal([second.Id], (await Record((s, c) => s.Drills.ListUnfinishedAsync(c))).Select(d => d.Id));
    }

    public sealed class OnSqlite() : DrillRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : DrillRepositoryTests(Backend.Postgres);
}
