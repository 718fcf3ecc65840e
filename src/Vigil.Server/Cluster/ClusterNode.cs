using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Cluster;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Checks;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Cluster;

/// <summary>
/// This node's part in the cluster: every <c>cluster.heartbeat_interval</c> it writes its heartbeat row (id, address, version,
/// start time, config digest), and on PostgreSQL every third of <c>cluster.lease_ttl</c> it takes or renews the leader lease
/// (<see cref="Leadership"/>) and the leases of the check shards it wins by rendezvous hashing over the live nodes
/// (<see cref="RebalanceAsync"/>, <see cref="CheckOwnership"/>). On PostgreSQL a node that joins (a new start time) and a lease that starts a new term are audited. On stop it
/// gives the leader lease up, so another node takes over at its next renewal instead of after a whole TTL.
/// Reports as <c>cluster</c>.
/// </summary>
public sealed partial class ClusterNode(IVigilStore store, Leadership leadership, CheckOwnership ownership, CheckRegistry checks, ConfigState config,
    ServerInfo info, IServer server, IHostApplicationLifetime lifetime, TimeProvider time, HealthBoard health, ILogger<ClusterNode> logger) : BackgroundService
{
    public const string HealthName = "cluster";

    private readonly ClusterConfig _settings = config.Current.Config.Cluster;

    private TaskCompletionSource _turned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Actor => "system:node/" + leadership.NodeId;

    /// <summary>Completes when the loop's next turn (heartbeat and lease renewal) has ended, well or not (for tests on a fake clock).</summary>
    public Task NextTurnAsync(CancellationToken ct) => Volatile.Read(ref _turned).Task.WaitAsync(ct);

    /// <summary>How often the loop turns: often enough for both the heartbeat and the lease renewal.</summary>
    private TimeSpan Tick => leadership.Clustered ? Min(_settings.HeartbeatInterval, _settings.LeaseTtl / 3) : _settings.HeartbeatInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The address is known once the server listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var nextHeartbeat = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextHeartbeat)
                {
                    await HeartbeatAsync(stoppingToken);
                    nextHeartbeat = time.GetUtcNow() + _settings.HeartbeatInterval;
                }

                if (leadership.Clustered)
                {
                    await RenewAsync(stoppingToken);
                    await RebalanceAsync(stoppingToken);
                }

                health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The lease held so far stays valid until its expiry; Leadership stops counting it then.
                health.Failed(HealthName, ex);
            }

            // The wait's timer is set before the turn is announced: whoever moves the clock after seeing the turn end
            // (a test on a fake clock) moves it past a timer that exists, not one the loop has yet to set.
            var wait = Task.Delay(Tick, time, stoppingToken);
            Interlocked.Exchange(ref _turned, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes this node's heartbeat now.</summary>
    public Task HeartbeatAsync(CancellationToken ct)
    {
        var digest = config.Current.Config.Digest;
        var address = Address();
        var reasons = HealthEndpoints.LocalReasons(config, health);
        var notReady = reasons.Count == 0 ? null : string.Join("; ", reasons);
        return store.RecordAsync(async (s, c) =>
        {
            var node = new NodeRecord(leadership.NodeId, address, info.Version, info.StartedAt, s.Now, digest, notReady);
            // A start joins the cluster, audited on PostgreSQL; on SQLite the one node's start is the server's own and not a membership change.
            if (await s.Cluster.HeartbeatAsync(node, c) && leadership.Clustered)
            {
                await s.Audit.AppendAsync(new AuditDraft(Actor, "cluster.node.start", "node/" + node.Id, null, null,
                    JsonSerializer.Serialize(new { node.Address, node.Version, started_at = node.StartedAt, config_digest = node.ConfigDigest })), c);
            }

            return 0;
        }, ct);
    }

    /// <summary>Takes or renews the leader lease now; true when this node holds it.</summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        var before = leadership.Lease;
        var lease = await store.RecordAsync(async (s, c) =>
        {
            var l = await s.Cluster.TryAcquireAsync(Leadership.LeaseName, leadership.NodeId, _settings.LeaseTtl, c);
            if (l is not null && l.AcquiredAt == s.Now)
            {
                await s.Audit.AppendAsync(new AuditDraft(Actor, "cluster.lease.acquire", "lease/" + l.Name, null, null,
                    JsonSerializer.Serialize(new { l.Holder, l.Token, expires_at = l.ExpiresAt })), c);
            }

            return l;
        }, ct);
        if (lease is null)
        {
            leadership.Lost();
            if (before is not null)
            {
                LogLostLeadership(logger, leadership.NodeId);
            }

            return false;
        }

        leadership.Held(lease);
        if (before is null || before.Token != lease.Token)
        {
            LogLeading(logger, leadership.NodeId, lease.Token);
        }

        return true;
    }

    /// <summary>
    /// Takes or renews the leases of the check shards this node wins among the live nodes (a heartbeat younger than one TTL), and
    /// gives up those it holds but no longer wins (a node joined). A shard another node still holds unexpired is left to it: it is
    /// taken at a later turn, once that node gave it up or its lease lapsed. Before this node probes a shard it has just taken, the
    /// state of its checks is read again from the store, where the previous holder left it. Returns the shards held.
    /// </summary>
    public async Task<IReadOnlyCollection<int>> RebalanceAsync(CancellationToken ct)
    {
        var me = leadership.NodeId;
        var ttl = _settings.LeaseTtl;
        var nodes = await store.ReadAsync((s, c) => s.Cluster.ListNodesAsync(c), ct);
        var now = time.GetUtcNow();
        var live = nodes.Where(n => now - n.LastHeartbeat < ttl).Select(n => n.Id).Append(me).Distinct(StringComparer.Ordinal).ToList();
        var wanted = Rendezvous.ShardsOf(me, live).ToHashSet();
        var before = ownership.Held;
        var leaving = before.Where(kv => !wanted.Contains(kv.Key)).ToList();
        // Probing stops before the lease is given up, so no probe of a shard runs here once another node may hold it.
        ownership.Drop(leaving.Select(kv => kv.Key));
        var held = await store.RecordAsync(async (s, c) =>
        {
            var got = new Dictionary<int, LeaseRecord>();
            foreach (var shard in wanted)
            {
                if (await s.Cluster.TryAcquireAsync(Rendezvous.LeaseName(shard), me, ttl, c) is { } lease)
                {
                    got[shard] = lease;
                }
            }

            foreach (var (_, lease) in leaving)
            {
                await s.Cluster.ReleaseAsync(lease.Name, me, lease.Token, c);
            }

            var taken = got.Keys.Where(k => !before.ContainsKey(k)).Order().ToList();
            if (taken.Count > 0 || leaving.Count > 0)
            {
                await s.Audit.AppendAsync(new AuditDraft(Actor, "cluster.shards", "node/" + me, null, null,
                    JsonSerializer.Serialize(new { taken, given_up = leaving.Select(kv => kv.Key).Order(), held = got.Count, live_nodes = live.Count })), c);
            }

            return got;
        }, ct);

        var fresh = held.Keys.Where(k => !before.ContainsKey(k)).ToHashSet();
        if (fresh.Count > 0)
        {
            await checks.ReloadAsync(key => fresh.Contains(Rendezvous.ShardOf(key)), ct);
            LogShards(logger, me, fresh.Count, held.Count, live.Count);
        }

        ownership.Set(held);
        return held.Keys;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var shards = ownership.Held.Values.ToList();
        ownership.Set(new Dictionary<int, LeaseRecord>());
        var leases = leadership.Lease is { } leader ? shards.Append(leader).ToList() : shards;
        leadership.Lost();
        if (leases.Count > 0)
        {
            try
            {
                await store.RecordAsync(async (s, c) =>
                {
                    foreach (var lease in leases)
                    {
                        await s.Cluster.ReleaseAsync(lease.Name, lease.Holder, lease.Token, c);
                    }

                    return 0;
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is StoreUnavailableException or StoreConflictException or OperationCanceledException)
            {
                // Not given up: it lapses after its TTL instead.
            }
        }
    }

    private string Address()
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return first ?? config.Current.Config.Vigil.Listen;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} leads the cluster (leader lease token {Token})")]
    private static partial void LogLeading(ILogger logger, string node, long token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} took {Taken} check shard(s); it holds {Held} of 64 among {Live} live node(s)")]
    private static partial void LogShards(ILogger logger, string node, int taken, int held, int live);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} lost the leader lease to another node")]
    private static partial void LogLostLeadership(ILogger logger, string node);
}
