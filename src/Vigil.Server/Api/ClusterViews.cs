namespace Vigil.Server.Api;

/// <summary>
/// The cluster as the store sees it (<c>GET /api/v1/cluster</c>, <c>vigil cluster status</c>). <c>Mode</c> is <c>single</c> (SQLite: one
/// node, always the leader) or <c>clustered</c> (PostgreSQL: nodes share the database, the leader lease picks the leader).
/// <c>Drift</c> is true when live nodes run configs with different digests.
/// </summary>
public sealed record ClusterView(
    string Mode,
    string Self,
    DateTimeOffset Now,
    double LeaseTtlSeconds,
    ClusterLeaderView? Leader,
    bool Drift,
    IReadOnlyList<ClusterNodeView> Nodes);

/// <summary>Who leads: the holder of the leader lease, its fencing token and when it lapses unless renewed (null on SQLite).</summary>
public sealed record ClusterLeaderView(string Node, long? Token, DateTimeOffset? ExpiresAt);

/// <summary>
/// One node's heartbeat row: <c>AgeSeconds</c> since its last heartbeat; <c>Live</c> when that is under one lease TTL; <c>Checks</c>
/// is how many checks it probes; <c>DigestDrift</c> when its config digest differs from this node's.
/// </summary>
public sealed record ClusterNodeView(
    string Id,
    string Address,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    double AgeSeconds,
    bool Live,
    bool Leader,
    bool Self,
    int Checks,
    string ConfigDigest,
    bool DigestDrift);
