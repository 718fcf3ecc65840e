using Vigil.Core.Signing;

namespace Vigil.Core.Audit;

/// <summary>
/// Compares the local chain with the checkpoints a witness holds. A witness is a copy the host cannot
/// rewrite, so it catches what the local checkpoints cannot when the attacker holds the signing key:
/// every witnessed checkpoint must verify with a key valid when it was signed, the entry it covers must
/// still have the hash it had then (a rewrite, even re-hashed and re-signed, changes it), and the chain
/// must reach the newest witnessed checkpoint (removing the newest entries shortens it).
/// </summary>
public static class WitnessVerifier
{
    /// <param name="witness">The witness's name, for messages.</param>
    /// <param name="witnessed">What the witness holds, in any order.</param>
    /// <param name="headSeq">The newest entry of the local chain (0 for an empty trail).</param>
    /// <param name="hashAt">The stored hash of local entry N, or null when the chain has no such entry.</param>
    public static WitnessVerification Verify(string witness, IReadOnlyList<AuditCheckpoint> witnessed, long headSeq, Func<long, string?> hashAt, KeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(witnessed);
        ArgumentNullException.ThrowIfNull(hashAt);
        ArgumentNullException.ThrowIfNull(keys);
        if (witnessed.Count == 0)
        {
            return new WitnessVerification(witness, false, 0, null,
                $"witness {witness} holds no checkpoints, so it vouches for nothing yet; check its delivery with `vigil audit witnesses`");
        }

        var ordered = witnessed.OrderBy(c => c.Seq).ToList();
        var newest = ordered[^1];
        if (newest.Seq > headSeq)
        {
            return Bad(witness, ordered, newest,
                $"witness {witness} holds checkpoint #{newest.Seq} (signed {newest.At:u}), but the local chain ends at #{headSeq}; the newest entries were removed after they were witnessed");
        }

        foreach (var cp in ordered)
        {
            if (keys.Verify(Signing.SigningPurpose.AuditCheckpoint, cp.Payload(), new Signature(cp.KeyId, cp.Signature), cp.At) is { } why)
            {
                return Bad(witness, ordered, cp, $"witnessed checkpoint #{cp.Seq} (signed {cp.At:u}) does not verify: {why}");
            }

            var local = hashAt(cp.Seq);
            if (local is null)
            {
                return Bad(witness, ordered, cp, $"witness {witness} holds checkpoint #{cp.Seq} (signed {cp.At:u}), but the local chain has no entry #{cp.Seq}; entries were removed");
            }

            if (!string.Equals(local, cp.Hash, StringComparison.Ordinal))
            {
                return Bad(witness, ordered, cp,
                    $"entry #{cp.Seq} no longer has the hash witness {witness} received for it at {cp.At:u}: an entry up to #{cp.Seq} was rewritten and the chain re-hashed after it was witnessed (local checkpoints re-signed with Vigil's key would not show this)");
            }
        }

        return new WitnessVerification(witness, true, ordered.Count, newest.Seq, null);
    }

    private static WitnessVerification Bad(string witness, List<AuditCheckpoint> ordered, AuditCheckpoint cp, string problem) =>
        new(witness, false, ordered.Count, ordered[^1].Seq, problem) { BadCheckpoint = cp.Seq };
}
