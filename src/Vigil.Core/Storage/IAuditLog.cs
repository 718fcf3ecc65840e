using Vigil.Core.Audit;
using Vigil.Core.Signing;

namespace Vigil.Core.Storage;

/// <summary>The hash-chained audit trail.</summary>
public interface IAuditLog
{
    /// <summary>Seals the draft onto the end of the chain, in the current transaction.</summary>
    Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken ct);

    /// <summary>Entries with <c>seq &gt; afterSeq</c>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAfterAsync(long afterSeq, int limit, CancellationToken ct);

    /// <summary>The newest <paramref name="count"/> entries, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> TailAsync(int count, CancellationToken ct);

    /// <summary>Walks the whole chain and checks it against the stored head (checkpoints are not looked at).</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken ct);

    /// <summary>Walks the chain and checks every checkpoint's hash and signature against <paramref name="keys"/>.</summary>
    Task<AuditVerification> VerifyAsync(KeyRing keys, CancellationToken ct);

    /// <summary>The stored head (the newest entry's seq and hash), or null for an empty trail.</summary>
    Task<(long Seq, string Hash)?> HeadAsync(CancellationToken ct);

    /// <summary>Stores a signed checkpoint (in a write transaction; it needs no audit entry of its own).</summary>
    Task AddCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken ct);

    /// <summary>The newest checkpoint, or null.</summary>
    Task<AuditCheckpoint?> LastCheckpointAsync(CancellationToken ct);

    /// <summary>Every checkpoint, oldest first.</summary>
    Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken ct);
}
