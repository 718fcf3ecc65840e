using Vigil.Core.Signing;

namespace Vigil.Core.Audit;

/// <summary>
/// Verifies the chain and its signed checkpoints together, in sequence order, and reports the
/// first entry or checkpoint that does not fit: a chain break (as <c>AuditChain.Verify</c> finds them),
/// a checkpoint whose signature does not verify with a key valid when it was signed, a checkpoint
/// whose hash no longer matches its entry (the chain was rewritten and re-hashed), or a checkpoint
/// for an entry the chain no longer has (the newest entries were removed).
/// </summary>
public static class AuditVerifier
{
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, (long Seq, string Hash)? head, IReadOnlyList<AuditCheckpoint> checkpoints, KeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(keys);
        var bySeq = checkpoints.ToDictionary(c => c.Seq);
        long lastGood = 0;
        long matched = 0;
        long? badCheckpoint = null;

        var chain = AuditChain.Verify(entries, head, e =>
        {
            if (!bySeq.TryGetValue(e.Seq, out var cp))
            {
                return null;
            }

            var problem = Check(cp, e, keys, lastGood);
            if (problem is not null)
            {
                badCheckpoint = cp.Seq;
                return problem;
            }

            lastGood = cp.Seq;
            matched++;
            return null;
        });

        if (!chain.Ok)
        {
            return chain with { Checkpoints = matched, SignedThrough = lastGood == 0 ? null : lastGood, BadCheckpoint = badCheckpoint };
        }

        var last = head?.Seq ?? chain.Checked;
        if (checkpoints.Where(c => c.Seq > chain.Checked).OrderBy(c => c.Seq).FirstOrDefault() is { } beyond)
        {
            return new AuditVerification(false, chain.Checked, chain.Checked + 1,
                $"checkpoint #{beyond.Seq} (signed {beyond.At:u} by key {beyond.KeyId}) covers entries up to #{beyond.Seq}, but the chain ends at #{chain.Checked}; the newest entries were removed")
            {
                Checkpoints = matched, SignedThrough = lastGood == 0 ? null : lastGood, BadCheckpoint = beyond.Seq,
            };
        }

        return chain with { Checkpoints = matched, SignedThrough = lastGood == 0 ? null : lastGood, Unsigned = Math.Max(0, last - lastGood) };
    }

    private static string? Check(AuditCheckpoint cp, AuditEntry e, KeyRing keys, long lastGood)
    {
        var since = lastGood == 0 ? "the first entry" : $"entry #{lastGood + 1} (after the last checkpoint that matches, #{lastGood})";
        if (!string.Equals(cp.Hash, e.Hash, StringComparison.Ordinal))
        {
            return $"checkpoint #{cp.Seq} (signed {cp.At:u} by key {cp.KeyId}) does not match the chain: an entry between {since} and #{cp.Seq} was rewritten and the chain re-hashed after it was signed";
        }

        if (cp.At < e.At)
        {
            return $"checkpoint #{cp.Seq} is dated {cp.At:u}, before the entry it covers ({e.At:u}); the checkpoint was forged or moved";
        }

        return keys.Verify(SigningPurpose.AuditCheckpoint, cp.Payload(), new Signature(cp.KeyId, cp.Signature), cp.At) is { } why
            ? $"checkpoint #{cp.Seq} (signed {cp.At:u}) does not verify: {why}"
            : null;
    }
}
