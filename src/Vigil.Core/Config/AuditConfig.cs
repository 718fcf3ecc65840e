namespace Vigil.Core.Config;

/// <summary>The audit trail (<c>audit:</c>): how often Vigil signs the chain head, and the witnesses off the host that receive each signed head.</summary>
public sealed class AuditConfig
{
    /// <summary>Sign a checkpoint once this many entries are not yet covered by one (within a second: the signer wakes at most once a second for new entries); applied on reload.</summary>
    [Positive]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>The longest an entry waits for a checkpoint while entries are written; applied on reload.</summary>
    [Positive]
    public TimeSpan CheckpointMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Places off the host that receive every signed checkpoint (webhook, append-only file, S3 with object lock). Read at start: a change needs a restart.</summary>
    public IReadOnlyList<AuditWitnessConfig> Witnesses { get; set; } = [];
}
