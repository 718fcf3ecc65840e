using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Audit;

/// <summary>
/// Pure functions of the audit hash chain. Each entry's hash covers its own fields and the hash of
/// the entry before it, so changing, removing or reordering any stored entry breaks the chain
/// from that entry on. The store keeps a separate head (last seq and hash) so that removing the
/// newest entries is detected too.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous-hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Seals a draft as the entry after (<paramref name="prevSeq"/>, <paramref name="prevHash"/>).</summary>
    public static AuditEntry Seal(long prevSeq, string prevHash, AuditDraft draft, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(draft);
        // Stored at millisecond precision; hash what is stored so a round trip verifies.
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        var seq = prevSeq + 1;
        var hash = ComputeHash(seq, stamp, draft.Actor, draft.Action, draft.Target, draft.Reason, draft.Before, draft.After, prevHash);
        return new AuditEntry(seq, stamp, draft.Actor, draft.Action, draft.Target, draft.Reason, draft.Before, draft.After, prevHash, hash);
    }

    /// <summary>Recomputes the hash of a stored entry from its fields.</summary>
    public static string ComputeHash(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ComputeHash(e.Seq, e.At, e.Actor, e.Action, e.Target, e.Reason, e.Before, e.After, e.PrevHash);
    }

    /// <summary>
    /// Walks entries in ascending sequence order and reports the first one that does not fit.
    /// <paramref name="head"/> is the stored (seq, hash) of the newest entry, when the store keeps one.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, (long Seq, string Hash)? head) => Verify(entries, head, null);

    /// <summary>
    /// As <see cref="Verify(IEnumerable{AuditEntry}, ValueTuple{long, string}?)"/>, calling <paramref name="onEntry"/> for
    /// each entry that fits the chain; a non-null answer (one sentence) stops the walk there, reported at that entry.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, (long Seq, string Hash)? head, Func<AuditEntry, string?>? onEntry)
    {
        ArgumentNullException.ThrowIfNull(entries);
        long expectedSeq = 1;
        var prevHash = GenesisHash;
        long count = 0;
        foreach (var e in entries)
        {
            count++;
            if (e.Seq != expectedSeq)
            {
                return e.Seq > expectedSeq
                    ? Broken(count, expectedSeq, $"entry #{expectedSeq} is missing (the next stored entry is #{e.Seq}); entries were removed")
                    : Broken(count, e.Seq, $"entry #{e.Seq} appears out of order after #{expectedSeq - 1}; entries were reordered");
            }

            if (!string.Equals(e.PrevHash, prevHash, StringComparison.Ordinal))
            {
                return Broken(count, e.Seq, $"entry #{e.Seq} does not link to entry #{e.Seq - 1} (previous hash differs); entries were removed, reordered or rewritten");
            }

            if (!string.Equals(ComputeHash(e), e.Hash, StringComparison.Ordinal))
            {
                return Broken(count, e.Seq, $"entry #{e.Seq} ({e.Action} on {e.Target}) was changed after it was written (its content no longer matches its hash)");
            }

            if (onEntry?.Invoke(e) is { } problem)
            {
                return Broken(count, e.Seq, problem);
            }

            prevHash = e.Hash;
            expectedSeq++;
        }

        var last = expectedSeq - 1;
        if (head is { } h)
        {
            if (h.Seq > last)
            {
                return Broken(count, last + 1, $"the chain ends at #{last} but the head records #{h.Seq}; the newest entries were removed");
            }

            if (h.Seq < last || !string.Equals(h.Hash, prevHash, StringComparison.Ordinal))
            {
                return Broken(count, h.Seq, $"the head records entry #{h.Seq} with a different hash than the chain; the chain or its head was rewritten");
            }
        }

        return new AuditVerification(true, count, null, null);
    }

    private static AuditVerification Broken(long count, long seq, string problem) => new(false, count, seq, problem);

    private static string ComputeHash(long seq, DateTimeOffset at, string actor, string action, string target, string? reason, string? before, string? after, string prevHash)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, seq);
        hasher.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, at.ToUnixTimeMilliseconds());
        hasher.AppendData(number);
        // Length-prefixed fields, with -1 for null, so no two different entries encode the same bytes.
        foreach (var field in new[] { actor, action, target, reason, before, after, prevHash })
        {
            if (field is null)
            {
                BinaryPrimitives.WriteInt64BigEndian(number, -1);
                hasher.AppendData(number);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt64BigEndian(number, bytes.Length);
            hasher.AppendData(number);
            hasher.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hasher.GetHashAndReset());
    }
}
