namespace Vigil.Core.Storage;

/// <summary>
/// One node's heartbeat row: who it is, where it listens, what it runs, and when it last said so; <paramref name="NotReady"/> is why it
/// was not ready then (its <c>/readyz</c> reasons, joined), null when it was.
/// </summary>
public sealed record NodeRecord(string Id, string Address, string Version, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, string ConfigDigest,
    string? NotReady = null);

/// <summary>
/// A lease: <paramref name="Holder"/> holds <paramref name="Name"/> until <paramref name="ExpiresAt"/>. <paramref name="Token"/> is the
/// fencing token: it grows by one each time the lease starts a new term (another holder, or the same one after it lapsed), never
/// on a renewal, so a write fenced with an older token is refused.
/// </summary>
public sealed record LeaseRecord(string Name, string Holder, long Token, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>Cluster membership and leases (docs/architecture.md, "Cluster"). Times are the session's <see cref="IStoreSession.Now"/>.</summary>
public interface IClusterRepository
{
    /// <summary>Writes this node's heartbeat row (inserted the first time, replaced after). Returns true when the row is new or the node restarted (another <see cref="NodeRecord.StartedAt"/>).</summary>
    Task<bool> HeartbeatAsync(NodeRecord node, CancellationToken ct);

    /// <summary>Every node that has ever heartbeated, by id.</summary>
    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken ct);

    /// <summary>Removes nodes whose last heartbeat is older than <paramref name="before"/>; returns how many.</summary>
    Task<int> ForgetNodesAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>
    /// Takes or renews <paramref name="name"/> for <paramref name="holder"/> until now + <paramref name="ttl"/>, in one conditional
    /// upsert: it succeeds when the lease is free, lapsed, or already <paramref name="holder"/>'s. Returns the lease as it now stands
    /// when <paramref name="holder"/> holds it, null when another node holds it unexpired.
    /// </summary>
    Task<LeaseRecord?> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken ct);

    /// <summary>Gives up <paramref name="name"/> if <paramref name="holder"/> holds it with <paramref name="token"/> (it lapses now); the token stays, so the next holder's is higher.</summary>
    Task ReleaseAsync(string name, string holder, long token, CancellationToken ct);

    /// <summary>Every lease row, lapsed ones included, by name.</summary>
    Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(CancellationToken ct);

    /// <summary>
    /// The fencing check: throws <see cref="LeaseLostException"/> unless <paramref name="fence"/>'s holder still holds its lease with
    /// its token, unexpired at the session's time. The stores run it inside every write transaction made under a
    /// <see cref="WriteFence"/>, so the write and the check commit together or not at all.
    /// </summary>
    Task CheckFenceAsync(Fence fence, CancellationToken ct);
}
