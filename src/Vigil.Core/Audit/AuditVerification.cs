namespace Vigil.Core.Audit;

/// <summary>Outcome of walking the audit chain.</summary>
/// <param name="Ok">True when every entry is intact and the chain ends where the head says.</param>
/// <param name="Checked">How many entries were read.</param>
/// <param name="BrokenAt">The sequence number of the first entry that was changed, removed or reordered.</param>
/// <param name="Problem">One sentence saying what is wrong, or null when <paramref name="Ok"/>.</param>
public sealed record AuditVerification(bool Ok, long Checked, long? BrokenAt, string? Problem)
{
    /// <summary>Signed checkpoints that matched the chain and verified (before the first problem, if any).</summary>
    public long Checkpoints { get; init; }

    /// <summary>The newest entry covered by a verified checkpoint; null when none is.</summary>
    public long? SignedThrough { get; init; }

    /// <summary>Entries after the newest checkpoint: intact as a chain, not yet vouched for by a signature.</summary>
    public long Unsigned { get; init; }

    /// <summary>The checkpoint (by the entry it covers) that did not fit, when that is the problem.</summary>
    public long? BadCheckpoint { get; init; }
}
