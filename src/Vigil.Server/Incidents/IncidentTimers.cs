using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Incidents;

/// <summary>
/// The incident engine's timers: ack-target breaches and the expiry of alerts that stopped being
/// re-sent. The timers are rows with due times in the store, so they survive restarts: after a
/// restart the first sweep records whatever fell due while Vigil was down, at the time it fell due.
/// It sleeps until the next due time, and wakes when a commit raises <see cref="CommitTopics.Incidents"/> (a new
/// incident or signal may bring an earlier due time), at most once per <see cref="WakeSpacing"/>: these timers
/// run minutes (ack targets, resolve timeouts), so a second's lateness is nothing, and a storm does not wake it on every commit.
/// </summary>
public sealed class IncidentTimers(IVigilStore store, IncidentPolicies policies, TimeProvider time, HealthBoard health) : SweepLoop(time, health)
{
    public override string HealthName => "incident-timers";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    protected override TimeSpan MaxSleep { get; } = TimeSpan.FromSeconds(5);

    protected override int FullBatch => 500;

    /// <summary>Records every timer that is due now; returns how many rows it handled.</summary>
    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        // Woken by every new incident or signal: look before taking the write lock, so a wake-up
        // with nothing due costs one read rather than a write transaction beside intake's.
        if (await NextDueAsync(ct) is not { } due || due > Time.GetUtcNow())
        {
            return 0;
        }

        var policy = policies.Current;
        return await store.RecordAsync(async (s, c) =>
            await IncidentWriter.RecordAckBreachesAsync(s, policy, c) + await IncidentWriter.ExpireSignalsAsync(s, policy, c), ct);
    }

    protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(CommitTopics.Incidents, ct);

    protected override TimeSpan WakeSpacing => TimeSpan.FromSeconds(1);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => store.ReadAsync((s, c) => s.Incidents.NextDueAsync(c), ct);
}
