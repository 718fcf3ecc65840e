using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoAckLinkRepository(DbScope db) : IAckLinkRepository
{
    public async Task<string?> GetKeyAsync(CancellationToken ct) =>
        await Db.ScalarAsync(db, "SELECT key FROM ack_link_keys WHERE id = 1", ct) as string;

    public async Task<bool> AddKeyAsync(string key, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        // Two nodes starting together may both try: the first one's key stays, the other reads it back.
        return await Db.ExecuteAsync(db, "INSERT INTO ack_link_keys (id, key, created_at) VALUES (1, @k, @at) ON CONFLICT (id) DO NOTHING", ct,
            ("@k", key), ("@at", Db.Millis(at))) == 1;
    }

    public async Task<bool> ConsumeAsync(AckLinkUse use, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(use);
        return await Db.ExecuteAsync(db, """
            INSERT INTO ack_link_uses (token_id, incident_id, person_id, used_at) VALUES (@t, @i, @p, @at)
            ON CONFLICT (token_id) DO NOTHING
            """, ct, ("@t", use.TokenId), ("@i", use.IncidentId), ("@p", use.PersonId), ("@at", Db.Millis(use.UsedAt))) == 1;
    }

    public async Task<AckLinkUse?> FindUseAsync(string tokenId, CancellationToken ct) =>
        (await Db.QueryAsync(db, "SELECT token_id, incident_id, person_id, used_at FROM ack_link_uses WHERE token_id = @t",
            r => new AckLinkUse(r.GetString(0), r.GetInt64(1), r.GetString(2), r.Time(3)), ct, ("@t", tokenId))).SingleOrDefault();
}
