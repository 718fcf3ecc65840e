using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Storage;

namespace Vigil.Server.Cluster;

/// <summary>
/// Whether this node runs the singleton loops now, and the fence their writes carry. On SQLite there is one node and it always
/// leads, unfenced. On PostgreSQL it leads while it holds the <see cref="LeaseName"/> lease (kept by <see cref="ClusterNode"/>):
/// from the renewal that took it until the lease's expiry, by this node's clock.
/// </summary>
public sealed partial class Leadership
{
    /// <summary>The name of the leader lease in the <c>leases</c> table.</summary>
    public const string LeaseName = "leader";

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private LeaseRecord? _lease;
    private TaskCompletionSource _became = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly ILogger _logger;

    public Leadership(string nodeId, bool clustered, TimeProvider time, ILogger<Leadership>? logger = null)
    {
        _logger = logger ?? NullLogger<Leadership>.Instance;
        NodeId = nodeId;
        Clustered = clustered;
        _time = time;
        if (!clustered)
        {
            _became.TrySetResult();
        }
    }

    public string NodeId { get; }

    /// <summary>True when leadership comes from the leader lease (PostgreSQL); false for the one node of a SQLite store.</summary>
    public bool Clustered { get; }

    /// <summary>The leader lease as this node last held it, or null.</summary>
    public LeaseRecord? Lease
    {
        get
        {
            lock (_gate)
            {
                return _lease is { } l && _time.GetUtcNow() < l.ExpiresAt ? l : null;
            }
        }
    }

    public bool IsLeader => !Clustered || Lease is not null;

    /// <summary>The fence singleton writes carry while this node leads; null on SQLite (nothing to fence) or when not leading.</summary>
    public Fence? Fence => Clustered && Lease is { } l ? new Fence(l.Name, l.Holder, l.Token) : null;

    /// <summary>Completes when this node leads (at once when it does already).</summary>
    public Task UntilLeaderAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (IsLeaderLocked())
            {
                return Task.CompletedTask;
            }

            if (_became.Task.IsCompleted)
            {
                _became = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _became.Task.WaitAsync(ct);
        }
    }

    /// <summary>The lease this node now holds (taken or renewed).</summary>
    internal void Held(LeaseRecord lease)
    {
        lock (_gate)
        {
            _lease = lease;
            _became.TrySetResult();
        }
    }

    /// <summary>This node does not hold the lease (another node does, or a fenced write was refused with <paramref name="fence"/>).</summary>
    internal void Lost(Fence? fence = null)
    {
        lock (_gate)
        {
            if (fence is null || (_lease is { } l && l.Token == fence.Token))
            {
                _lease = null;
            }
        }
    }

    /// <summary>
    /// A fenced write of this node was refused (<paramref name="lost"/>): another node took the lease while this one was paused or
    /// cut off. It stops leading at once, and says so in its log.
    /// </summary>
    internal void Refused(LeaseLostException lost)
    {
        Lost(lost.Fence);
        LogRefused(_logger, NodeId, lost.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: a fenced write was refused and nothing of it was stored: {Reason}. It stops leading.")]
    private static partial void LogRefused(ILogger logger, string node, string reason);

    private bool IsLeaderLocked() => !Clustered || (_lease is { } l && _time.GetUtcNow() < l.ExpiresAt);
}
