namespace Vigil.Server.Cluster;

/// <summary>
/// Which checks this node probes. On SQLite: all of them. On PostgreSQL, until checks are sharded across nodes, the leader
/// probes them all and the other nodes none, so no check is probed twice and a dead leader's checks move with the lease.
/// </summary>
public sealed class CheckOwnership(Leadership leadership)
{
    /// <summary>True when this node probes the check with <paramref name="key"/> now.</summary>
    public bool Owns(string key) => leadership.IsLeader;

    /// <summary>How many of <paramref name="keys"/> this node probes now.</summary>
    public int Count(IEnumerable<string> keys) => keys.Count(Owns);
}
