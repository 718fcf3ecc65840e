namespace Vigil.Core.Config;

/// <summary>
/// Clustered mode (<c>cluster:</c>): this node's identity, its heartbeat and the leases that share the work out. Every node
/// heartbeats into the store; on PostgreSQL several nodes share one database, the leader lease decides which of them runs
/// escalation, incident timers, schedules, pruning and rollups, and the checks are spread over the live nodes in 64 shards, each
/// probed by the holder of its lease (docs/operations.md, "Clustered deployment"). On SQLite there is one node, which always
/// leads and probes every check. Read at start: a change needs a restart.
/// </summary>
public sealed class ClusterConfig : IConfigValidatable
{
    /// <summary>
    /// This node's id, shown by <c>vigil cluster status</c> and stored as the holder of its leases (letters, digits, <c>.</c>,
    /// <c>_</c>, <c>-</c>; at most 64). Default: the host name plus a random suffix, made once and kept in <c>node-id</c> in the data
    /// folder. Left out of the config digest, so nodes sharing one config may set it differently (write <c>${VIGIL_NODE_ID}</c>).
    /// </summary>
    [NodeLocal]
    public string? NodeId { get; set; }

    /// <summary>How often this node writes its heartbeat (address, version, config digest) into the store.</summary>
    [Positive]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a lease (the leader's, and each check shard's) lasts without renewal; the holder renews it every third of this. A
    /// node that dies hands over its lead and its checks within one TTL (plus a third of it, until the next renewal), and a node
    /// that has not heartbeated for this long is shown dead and its runbook runs end as interrupted.
    /// </summary>
    [Positive]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (NodeId is { } id && !Cluster.NodeIds.IsValid(id) && !context.Sources.Templates.ContainsKey(ConfigPath.Member(path, "node_id")))
        {
            context.Error(ConfigPath.Member(path, "node_id"), $"`{id}` is not a node id: use 1 to 64 letters, digits, `.`, `_` or `-`, like `vigil-a`");
        }

        if (LeaseTtl < TimeSpan.FromSeconds(3))
        {
            context.Error(ConfigPath.Member(path, "lease_ttl"), $"`lease_ttl` ({Duration.Format(LeaseTtl)}) must be at least 3s: the leader renews every third of it");
        }

        if (HeartbeatInterval >= LeaseTtl)
        {
            context.Error(ConfigPath.Member(path, "heartbeat_interval"),
                $"`heartbeat_interval` ({Duration.Format(HeartbeatInterval)}) must be shorter than `lease_ttl` ({Duration.Format(LeaseTtl)}): a node silent for one TTL counts as dead");
        }
    }
}
