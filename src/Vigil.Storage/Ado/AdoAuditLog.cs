using System.Data.Common;
using Vigil.Core.Audit;
using Vigil.Core.Signing;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

/// <summary>
/// The audit chain over plain SQL. The head row (<c>audit_head</c>, id = 1) is read and written
/// inside the caller's write transaction, which the backend serializes, so two writers can never
/// seal onto the same previous entry.
/// </summary>
internal sealed class AdoAuditLog(DbScope db, bool writable, Func<DateTimeOffset> now) : IAuditLog
{
    private const string CheckpointColumns = "seq, hash, at, key_id, signature";

    private const string Columns = "seq, at, actor, action, target, reason, before_json, after_json, prev_hash, hash";

    // The head as this transaction last wrote it: appends after the first need not read it back.
    private (long Seq, string Hash)? _head;

    public int Appended { get; private set; }

    public async Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!writable)
        {
            throw new InvalidOperationException("Audit entries can only be appended inside a write transaction.");
        }

        var head = _head ?? await ReadHeadAsync(ct);
        var entry = AuditChain.Seal(head?.Seq ?? 0, head?.Hash ?? AuditChain.GenesisHash, draft, now());
        await Db.ExecuteAsync(db,
            $"INSERT INTO audit_log ({Columns}) VALUES (@seq, @at, @actor, @action, @target, @reason, @before, @after, @prev, @hash)", ct,
            ("@seq", entry.Seq), ("@at", Db.Millis(entry.At)), ("@actor", entry.Actor), ("@action", entry.Action),
            ("@target", entry.Target), ("@reason", entry.Reason), ("@before", entry.Before), ("@after", entry.After),
            ("@prev", entry.PrevHash), ("@hash", entry.Hash));
        var updated = await Db.ExecuteAsync(db, "UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", ct,
            ("@seq", entry.Seq), ("@hash", entry.Hash));
        if (updated == 0)
        {
            await Db.ExecuteAsync(db, "INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash)", ct,
                ("@seq", entry.Seq), ("@hash", entry.Hash));
        }

        _head = (entry.Seq, entry.Hash);
        Appended++;
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAfterAsync(long afterSeq, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {Columns} FROM audit_log WHERE seq > @after ORDER BY seq LIMIT @limit", Map, ct,
            ("@after", afterSeq), ("@limit", Math.Clamp(limit, 1, 10_000)));

    public async Task<IReadOnlyList<AuditEntry>> TailAsync(int count, CancellationToken ct)
    {
        var rows = await Db.QueryAsync(db, $"SELECT {Columns} FROM audit_log ORDER BY seq DESC LIMIT @limit", Map, ct,
            ("@limit", Math.Clamp(count, 1, 10_000)));
        rows.Reverse();
        return rows;
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken ct) => VerifyChainAsync(null, ct);

    public Task<AuditVerification> VerifyAsync(KeyRing keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return VerifyChainAsync(keys, ct);
    }

    public Task<(long Seq, string Hash)?> HeadAsync(CancellationToken ct) => ReadHeadAsync(ct);

    public async Task AddCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!writable)
        {
            throw new InvalidOperationException("Checkpoints can only be stored inside a write transaction.");
        }

        await Db.ExecuteAsync(db, $"INSERT INTO audit_checkpoints ({CheckpointColumns}) VALUES (@seq, @hash, @at, @key, @sig)", ct,
            ("@seq", checkpoint.Seq), ("@hash", checkpoint.Hash), ("@at", Db.Millis(checkpoint.At)), ("@key", checkpoint.KeyId), ("@sig", checkpoint.Signature));
    }

    public async Task<AuditCheckpoint?> LastCheckpointAsync(CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {CheckpointColumns} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1", MapCheckpoint, ct)).FirstOrDefault();

    public async Task<IReadOnlyList<AuditCheckpoint>> ListCheckpointsAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {CheckpointColumns} FROM audit_checkpoints ORDER BY seq", MapCheckpoint, ct);

    private async Task<AuditVerification> VerifyChainAsync(KeyRing? keys, CancellationToken ct)
    {
        var head = await ReadHeadAsync(ct);
        var checkpoints = keys is null ? [] : await ListCheckpointsAsync(ct);
        // Ordered by rowid-independent seq so that a reorder of physical rows does not hide; the
        // chain is checked while streaming so memory stays flat on long trails.
        await using var cmd = Db.Command(db.Connection, db.Transaction, $"SELECT {Columns} FROM audit_log ORDER BY seq");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var stored = head is { } h ? (h.Seq, h.Hash) : ((long, string)?)null;
        return keys is null ? AuditChain.Verify(Stream(reader), stored) : AuditVerifier.Verify(Stream(reader), stored, checkpoints, keys);

        static IEnumerable<AuditEntry> Stream(DbDataReader r)
        {
            while (r.Read())
            {
                yield return Map(r);
            }
        }
    }

    private async Task<(long Seq, string Hash)?> ReadHeadAsync(CancellationToken ct)
    {
        var rows = await Db.QueryAsync(db, "SELECT seq, hash FROM audit_head WHERE id = 1", r => (r.GetInt64(0), r.GetString(1)), ct);
        return rows.Count == 0 ? null : rows[0];
    }

    private static AuditCheckpoint MapCheckpoint(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.Time(2), r.GetString(3), r.GetString(4));

    private static AuditEntry Map(DbDataReader r) => new(
        r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.NullableString(5), r.NullableString(6), r.NullableString(7), r.GetString(8), r.GetString(9));
}
