using Vigil.Core.Audit;

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

    /// <summary>Walks the whole chain and checks it against the stored head.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken ct);
}
