namespace Vigil.Core.Audit;

/// <summary>Outcome of walking the audit chain.</summary>
/// <param name="Ok">True when every entry is intact and the chain ends where the head says.</param>
/// <param name="Checked">How many entries were read.</param>
/// <param name="BrokenAt">The sequence number of the first entry that was changed, removed or reordered.</param>
/// <param name="Problem">One sentence saying what is wrong, or null when <paramref name="Ok"/>.</param>
public sealed record AuditVerification(bool Ok, long Checked, long? BrokenAt, string? Problem);
