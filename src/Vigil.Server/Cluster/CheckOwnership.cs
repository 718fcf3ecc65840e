using Vigil.Core.Cluster;
using Vigil.Core.Storage;

namespace Vigil.Server.Cluster;

/// <summary>
/// Which checks this node probes. On SQLite: all of them. On PostgreSQL the checks are spread over <see cref="Rendezvous.Shards"/>
/// shards by key, and this node probes a check while it holds the lease of its shard (<c>shard/NN</c>, taken and renewed by
/// <see cref="ClusterNode"/>): from the renewal that took it until its expiry, by this node's clock. So a node that is paused or
/// cut off from the database stops probing when its leases lapse, the moment another node may take them.
/// </summary>
public sealed class CheckOwnership(Leadership leadership, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Dictionary<int, LeaseRecord> _held = [];

    /// <summary>True when checks are sharded over nodes (PostgreSQL); false when this one node probes them all.</summary>
    public bool Sharded => leadership.Clustered;

    /// <summary>True when this node probes the check with <paramref name="key"/> now.</summary>
    public bool Owns(string key) => !Sharded || Holding(Rendezvous.ShardOf(key)) is not null;

    /// <summary>How many of <paramref name="keys"/> this node probes now.</summary>
    public int Count(IEnumerable<string> keys) => keys.Count(Owns);

    /// <summary>The fence a write about check <paramref name="key"/> carries: its shard's lease as this node holds it; null when unsharded or not held.</summary>
    public Fence? FenceFor(string key) =>
        Sharded && Holding(Rendezvous.ShardOf(key)) is { } l ? new Fence(l.Name, l.Holder, l.Token) : null;

    /// <summary>The shard leases this node holds now, unexpired, by shard.</summary>
    public IReadOnlyDictionary<int, LeaseRecord> Held
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return _held.Where(kv => now < kv.Value.ExpiresAt).ToDictionary();
            }
        }
    }

    /// <summary>The leases this node now holds (taken or renewed), replacing what it held before.</summary>
    internal void Set(IReadOnlyDictionary<int, LeaseRecord> held)
    {
        lock (_gate)
        {
            _held = held.ToDictionary();
        }
    }

    /// <summary>Stops probing <paramref name="shards"/> at once (before their leases are given up).</summary>
    internal void Drop(IEnumerable<int> shards)
    {
        lock (_gate)
        {
            foreach (var s in shards)
            {
                _held.Remove(s);
            }
        }
    }

    private LeaseRecord? Holding(int shard)
    {
        lock (_gate)
        {
            return _held.TryGetValue(shard, out var l) && time.GetUtcNow() < l.ExpiresAt ? l : null;
        }
    }
}
