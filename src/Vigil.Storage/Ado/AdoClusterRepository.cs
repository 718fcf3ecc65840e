using System.Data.Common;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoClusterRepository(DbScope db, Func<DateTimeOffset> now) : IClusterRepository
{
    private const string LeaseColumns = "name, holder, token, acquired_at, expires_at";

    public async Task<bool> HeartbeatAsync(NodeRecord node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var before = await Db.ScalarAsync(db, "SELECT started_at FROM nodes WHERE id = @id", ct, ("@id", node.Id));
        await Db.ExecuteAsync(db,
            "INSERT INTO nodes (id, address, version, started_at, last_heartbeat, config_digest, not_ready) VALUES (@id, @a, @v, @s, @hb, @d, @nr) " +
            "ON CONFLICT (id) DO UPDATE SET address = excluded.address, version = excluded.version, started_at = excluded.started_at, " +
            "last_heartbeat = excluded.last_heartbeat, config_digest = excluded.config_digest, not_ready = excluded.not_ready", ct,
            ("@id", node.Id), ("@a", node.Address), ("@v", node.Version), ("@s", Db.Millis(node.StartedAt)), ("@hb", Db.Millis(node.LastHeartbeat)), ("@d", node.ConfigDigest),
            ("@nr", node.NotReady));
        return before is null || Convert.ToInt64(before, System.Globalization.CultureInfo.InvariantCulture) != Db.Millis(node.StartedAt);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, "SELECT id, address, version, started_at, last_heartbeat, config_digest, not_ready FROM nodes ORDER BY id", r =>
            new NodeRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3), r.Time(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)), ct);

    public Task<int> ForgetNodesAsync(DateTimeOffset before, CancellationToken ct) =>
        Db.ExecuteAsync(db, "DELETE FROM nodes WHERE last_heartbeat < @t", ct, ("@t", Db.Millis(before)));

    public async Task<LeaseRecord?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var at = Db.Millis(now());
        // One conditional upsert: a free name is inserted with token 1; a lapsed lease, or one this holder already has, is
        // updated (a new term, token + 1, unless it is this holder's renewal of an unexpired lease); another holder's
        // unexpired lease is left alone and nothing is returned. On PostgreSQL two nodes racing for the same row under
        // SERIALIZABLE make one of them retry, and the retry sees the winner's row.
        var rows = await Db.QueryAsync(db,
            $"INSERT INTO leases ({LeaseColumns}) VALUES (@n, @h, 1, @now, @exp) " +
            "ON CONFLICT (name) DO UPDATE SET " +
            "token = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > @now THEN leases.token ELSE leases.token + 1 END, " +
            "acquired_at = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > @now THEN leases.acquired_at ELSE excluded.acquired_at END, " +
            "holder = excluded.holder, expires_at = excluded.expires_at " +
            "WHERE leases.holder = excluded.holder OR leases.expires_at <= @now " +
            $"RETURNING {LeaseColumns}", Read, ct,
            ("@n", name), ("@h", holder), ("@now", at), ("@exp", at + (long)ttl.TotalMilliseconds));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task ReleaseAsync(string name, string holder, long token, CancellationToken ct) =>
        Db.ExecuteAsync(db, "UPDATE leases SET expires_at = @now WHERE name = @n AND holder = @h AND token = @t AND expires_at > @now", ct,
            ("@now", Db.Millis(now())), ("@n", name), ("@h", holder), ("@t", token));

    public async Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {LeaseColumns} FROM leases ORDER BY name", Read, ct);

    public async Task CheckFenceAsync(Fence fence, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fence);
        var rows = await Db.QueryAsync(db, $"SELECT {LeaseColumns} FROM leases WHERE name = @n", Read, ct, ("@n", fence.Lease));
        var lease = rows.Count == 0 ? null : rows[0];
        if (lease is null || lease.Holder != fence.Holder || lease.Token != fence.Token || lease.ExpiresAt <= now())
        {
            throw new LeaseLostException(fence, lease);
        }
    }

    private static LeaseRecord Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.Time(3), r.Time(4));
}
