using Vigil.Core.Audit;
using Vigil.Core.Signing;
using Vigil.Core.Storage;
using Vigil.Server.AuditTrail.Witnesses;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.AuditTrail;

/// <summary>
/// Signs the audit chain's head when <see cref="CheckpointPolicy"/> says so: wakes on commits (one read, at most
/// once per <see cref="WakeSpacing"/>) and at the policy's next due time, and signs once more when Vigil stops.
/// A checkpoint is not a state change, so it is recorded without an audit entry of its own (an
/// entry per checkpoint would itself need a checkpoint).
/// </summary>
public sealed class AuditCheckpointer(IVigilStore store, ISigner signer, ConfigState config, TimeProvider time, HealthBoard health, WitnessDelivery witnesses) : SweepLoop(time, health)
{
    private readonly HealthBoard _health = health;
    private DateTimeOffset? _nextAt;

    public override string HealthName => "audit-checkpoints";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    protected override TimeSpan MaxSleep => Policy.MaxDelay;

    // A sweep makes at most one checkpoint; never loop at once.
    protected override int FullBatch => 2;

    private CheckpointPolicy Policy =>
        new(config.Current.Config.Audit.CheckpointEvery, config.Current.Config.Audit.CheckpointMaxDelay);

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var decision = await store.ReadAsync(async (s, c) =>
        {
            var head = await s.Audit.HeadAsync(c);
            var last = await s.Audit.LastCheckpointAsync(c);
            var lastSeq = last?.Seq ?? 0;
            var oldest = head is { } h && h.Seq > lastSeq ? (await s.Audit.ListAfterAsync(lastSeq, 1, c)).FirstOrDefault()?.At : null;
            return Policy.Decide(head?.Seq ?? 0, lastSeq, oldest, Time.GetUtcNow());
        }, ct);
        _nextAt = decision.NextAt;
        if (!decision.Due)
        {
            return 0;
        }

        return await CheckpointNowAsync(ct) is null ? 0 : 1;
    }

    /// <summary>Signs the current head unless it is already signed; returns the new checkpoint, or null. Witnesses get it after the commit.</summary>
    public async Task<AuditCheckpoint?> CheckpointNowAsync(CancellationToken ct)
    {
        var checkpoint = await SignHeadAsync(ct);
        if (checkpoint is not null)
        {
            // Only queued: delivery runs on its own loop, so a slow witness never holds up the audit trail.
            witnesses.Enqueue(checkpoint);
        }

        return checkpoint;
    }

    private Task<AuditCheckpoint?> SignHeadAsync(CancellationToken ct) =>
        store.RecordAsync(async (s, c) =>
        {
            if (await s.Audit.HeadAsync(c) is not { } head)
            {
                return null;
            }

            var last = await s.Audit.LastCheckpointAsync(c);
            if (last is not null && last.Seq >= head.Seq)
            {
                return null;
            }

            var at = DateTimeOffset.FromUnixTimeMilliseconds(s.Now.ToUnixTimeMilliseconds());
            // s.Now is read when the transaction begins, its snapshot a moment later: on a cluster another node can commit an entry
            // dated in between, which this snapshot covers. A checkpoint is never dated before the entry it signs (verify refuses it).
            if ((await s.Audit.TailAsync(1, c)).FirstOrDefault() is { } newest && newest.Seq == head.Seq && newest.At > at)
            {
                at = newest.At;
            }

            var signature = signer.Sign(SigningPurpose.AuditCheckpoint, AuditCheckpoint.Payload(head.Seq, head.Hash, at));
            var checkpoint = new AuditCheckpoint(head.Seq, head.Hash, at, signature.KeyId, signature.Value);
            await s.Audit.AddCheckpointAsync(checkpoint, c);
            return checkpoint;
        }, ct);

    protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(ct);

    /// <summary>Under an alert storm every commit adds entries; counting them once a second is enough for "every N entries".</summary>
    protected override TimeSpan WakeSpacing => TimeSpan.FromSeconds(1);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => Task.FromResult(_nextAt);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // What was written since the last checkpoint is signed before the store closes.
            await CheckpointNowAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException or OperationCanceledException)
        {
            _health.Failed(HealthName, ex);
        }
    }
}
