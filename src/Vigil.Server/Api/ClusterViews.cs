namespace Vigil.Server.Api;

/// <summary>
/// The cluster as the store sees it (<c>GET /api/v1/cluster</c>, <c>vigil cluster status</c>). <c>Mode</c> is <c>single</c> (SQLite: one
/// node, always the leader) or <c>clustered</c> (PostgreSQL: nodes share the database, the leader lease picks the leader).
/// <c>Drift</c> is true when live nodes run configs with different digests. <c>UnownedChecks</c> counts the checks whose shard lease no
/// node holds now (a dead node's shards until its leases lapse and another node takes them); they are not being probed.
/// </summary>
public sealed record ClusterView(
    string Mode,
    string Self,
    DateTimeOffset Now,
    double LeaseTtlSeconds,
    ClusterLeaderView? Leader,
    bool Drift,
    int UnownedChecks,
    IReadOnlyList<ClusterNodeView> Nodes);

/// <summary>Who leads: the holder of the leader lease, its fencing token and when it lapses unless renewed (null on SQLite).</summary>
public sealed record ClusterLeaderView(string Node, long? Token, DateTimeOffset? ExpiresAt);

/// <summary>
/// One node's heartbeat row: <c>AgeSeconds</c> since its last heartbeat; <c>Live</c> when that is under one lease TTL; <c>Ready</c>
/// and <c>NotReady</c> its readiness as of that heartbeat (the reasons its <c>/readyz</c> gave, null when ready); <c>Shards</c> how many
/// check shard leases it holds (null on SQLite, where the one node probes everything) and <c>Checks</c> how many checks it probes;
/// <c>DigestDrift</c> when its config digest differs from this node's.
/// </summary>
public sealed record ClusterNodeView(
    string Id,
    string Address,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    double AgeSeconds,
    bool Live,
    bool Ready,
    string? NotReady,
    bool Leader,
    bool Self,
    int? Shards,
    int Checks,
    string ConfigDigest,
    bool DigestDrift);
