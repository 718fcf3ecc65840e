using Vigil.Core.Audit;
using Vigil.Core.Signing;

namespace Vigil.Core.Export;

/// <summary>What checking an export file found.</summary>
/// <param name="Header">The file's header.</param>
/// <param name="Counts">Rows per section as read (not as the trailer claims).</param>
/// <param name="Sha256">The SHA-256 of the content as read.</param>
/// <param name="SignedBy">The key the trailer names.</param>
/// <param name="SignatureProblem">Why the signature does not vouch for the content, or null when it does.</param>
/// <param name="Audit">The audit chain and its checkpoints, checked against the same keys.</param>
public sealed record ExportCheck(ExportHeader Header, IReadOnlyDictionary<string, long> Counts, string Sha256, string SignedBy, string? SignatureProblem,
    AuditVerification Audit)
{
    public bool Ok => SignatureProblem is null && Audit.Ok;

    /// <summary>Every problem, one sentence each: the signature's, then the audit trail's (naming the first bad entry or checkpoint).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var list = new List<string>();
            if (SignatureProblem is not null)
            {
                list.Add("signature: " + SignatureProblem);
            }

            if (!Audit.Ok)
            {
                list.Add(Audit.BadCheckpoint is { } cp
                    ? $"audit trail: broken at checkpoint #{cp}: {Audit.Problem}"
                    : $"audit trail: broken at entry #{Audit.BrokenAt}: {Audit.Problem}");
            }

            return list;
        }
    }
}

/// <summary>
/// Checks an export file with nothing but the file and a key ring: the file's signature (over the SHA-256 of
/// its content, by a key valid when the file was made), then the audit chain it carries and every checkpoint
/// signature in it (by keys valid when each was signed). Needs no server and no store.
/// </summary>
public static class ExportVerifier
{
    /// <summary>
    /// Reads and checks the file. Throws <see cref="ExportFormatException"/> when it cannot be read as an export at
    /// all; otherwise reports what verifies and what does not. <paramref name="onSection"/> hears each section's
    /// row count as it is read (progress on long files).
    /// </summary>
    public static async Task<ExportCheck> VerifyAsync(Stream input, KeyRing keys, Action<string, long>? onSection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var entries = new List<AuditEntry>();
        var checkpoints = new List<AuditCheckpoint>();
        (long Seq, string Hash)? head = null;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string? current = null;

        var (header, trailer, sha256) = await ExportReader.ReadAsync(input, row =>
        {
            if (current is not null && current != row.Section.Name)
            {
                onSection?.Invoke(current, counts[current]);
            }

            current = row.Section.Name;
            counts[current] = counts.GetValueOrDefault(current) + 1;
            switch (row.Section.Name)
            {
                case ExportSections.AuditLog:
                    entries.Add(new AuditEntry((long)row["seq"]!, DateTimeOffset.FromUnixTimeMilliseconds((long)row["at"]!), (string)row["actor"]!,
                        (string)row["action"]!, (string)row["target"]!, (string?)row["reason"], (string?)row["before_json"], (string?)row["after_json"],
                        (string)row["prev_hash"]!, (string)row["hash"]!));
                    break;
                case ExportSections.AuditCheckpoints:
                    checkpoints.Add(new AuditCheckpoint((long)row["seq"]!, (string)row["hash"]!, DateTimeOffset.FromUnixTimeMilliseconds((long)row["at"]!),
                        (string)row["key_id"]!, (string)row["signature"]!));
                    break;
                case ExportSections.AuditHead:
                    head = ((long)row["seq"]!, (string)row["hash"]!);
                    break;
            }

            return ValueTask.CompletedTask;
        }, ct);

        if (current is not null)
        {
            onSection?.Invoke(current, counts[current]);
        }

        var signatureProblem = SignatureProblem(header, trailer, sha256, counts, keys);
        // The chain in seq order as stored; an entry out of order in the file is reported by the chain walk.
        var audit = AuditVerifier.Verify(entries, head, checkpoints.OrderBy(c => c.Seq).ToList(), keys);
        foreach (var s in header.Sections)
        {
            counts.TryAdd(s, 0);
        }

        return new ExportCheck(header, counts, sha256, trailer.KeyId, signatureProblem, audit);
    }

    private static string? SignatureProblem(ExportHeader header, ExportTrailer trailer, string sha256, Dictionary<string, long> counts, KeyRing keys)
    {
        if (!string.Equals(trailer.Sha256, sha256, StringComparison.Ordinal))
        {
            return $"the content was changed after it was exported: its SHA-256 is {sha256[..16]}…, the signature line records {Short(trailer.Sha256)}…";
        }

        if (!string.Equals(trailer.KeyId, header.KeyId, StringComparison.Ordinal))
        {
            return $"the header names key {header.KeyId} but the file is signed by key {trailer.KeyId}; the signature line was replaced";
        }

        if (keys.Verify(SigningPurpose.Export, ExportFormat.SignedPayload(sha256), new Signature(trailer.KeyId, trailer.Signature), header.CreatedAt) is { } why)
        {
            return why;
        }

        // The counts are not signed themselves; they must agree with the signed rows.
        var claimed = trailer.Counts.Where(c => c.Value != counts.GetValueOrDefault(c.Key)).Select(c => $"{c.Key}: {c.Value} claimed, {counts.GetValueOrDefault(c.Key)} present").ToList();
        return claimed.Count > 0 ? $"the row counts on the signature line do not match the rows ({string.Join("; ", claimed)})" : null;
    }

    private static string Short(string s) => s.Length > 16 ? s[..16] : s;
}
