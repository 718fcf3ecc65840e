namespace Vigil.Core.Audit;

/// <summary>A sealed, hash-chained audit entry as stored.</summary>
/// <param name="Seq">Position in the chain, starting at 1, without gaps.</param>
/// <param name="At">When the change committed (millisecond precision).</param>
/// <param name="PrevHash">Hash of the entry before, or <see cref="AuditChain.GenesisHash"/> for the first.</param>
/// <param name="Hash">SHA-256 over this entry's fields and <paramref name="PrevHash"/>.</param>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Target,
    string? Reason,
    string? Before,
    string? After,
    string PrevHash,
    string Hash);
