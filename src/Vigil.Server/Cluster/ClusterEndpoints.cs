using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Cluster;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Checks;
using Vigil.Server.Config;

namespace Vigil.Server.Cluster;

/// <summary><c>GET /cluster</c> (viewer): nodes, their heartbeats and readiness, the leader, check shards and config digests.</summary>
internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGet("/cluster", async (IVigilStore store, Leadership leadership, ConfigState config, CheckRegistry checks, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await BuildAsync(store, leadership, config, checks.Snapshot().Select(c => c.Definition.Key).ToList(), time.GetUtcNow(), ct)))
            .WithTags("Cluster").RequireRole(Role.Viewer)
            .WithSummary("The cluster: every node with its last heartbeat (age, live or dead), version, address and config digest; the leader "
                + "with its lease's fencing token; each node's readiness as of its last heartbeat; how many check shards and checks each node holds; and whether live "
                + "nodes' config digests drift. Checks held by no live node (between a node's death and the end of its leases) are counted in unownedChecks.");
    }

    internal static async Task<ClusterView> BuildAsync(IVigilStore store, Leadership leadership, ConfigState config, IReadOnlyList<string> checkKeys,
        DateTimeOffset now, CancellationToken ct)
    {
        var ttl = config.Current.Config.Cluster.LeaseTtl;
        var (nodes, leases) = await store.ReadAsync(async (s, c) => (await s.Cluster.ListNodesAsync(c), await s.Cluster.ListLeasesAsync(c)), ct);
        ClusterLeaderView? leader;
        if (leadership.Clustered)
        {
            var lease = leases.FirstOrDefault(l => l.Name == Leadership.LeaseName && l.ExpiresAt > now);
            leader = lease is null ? null : new ClusterLeaderView(lease.Holder, lease.Token, lease.ExpiresAt);
        }
        else
        {
            leader = new ClusterLeaderView(leadership.NodeId, null, null);
        }

        var mine = config.Current.Config.Digest;
        // Who probes what: on a cluster, the holders of the unexpired shard leases; on SQLite, the one node.
        var shardHolders = leases.Where(l => l.Name.StartsWith("shard/", StringComparison.Ordinal) && l.ExpiresAt > now)
            .ToDictionary(l => l.Name, l => l.Holder, StringComparer.Ordinal);
        var checksByNode = checkKeys.GroupBy(k => leadership.Clustered ? shardHolders.GetValueOrDefault(Rendezvous.LeaseName(Rendezvous.ShardOf(k))) ?? "" : leadership.NodeId)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var views = nodes.Select(n =>
        {
            var age = now - n.LastHeartbeat;
            var live = n.Id == leadership.NodeId || age < ttl;
            var isLeader = leader?.Node == n.Id;
            int? shards = leadership.Clustered ? shardHolders.Values.Count(h => h == n.Id) : null;
            return new ClusterNodeView(n.Id, n.Address, n.Version, n.StartedAt, n.LastHeartbeat, Math.Max(0, Math.Round(age.TotalSeconds, 1)), live,
                live && n.NotReady is null, n.NotReady, isLeader, n.Id == leadership.NodeId, shards, checksByNode.GetValueOrDefault(n.Id), n.ConfigDigest,
                n.ConfigDigest != mine);
        }).ToList();
        var drift = views.Where(v => v.Live).Select(v => v.ConfigDigest).Distinct(StringComparer.Ordinal).Count() > 1;
        return new ClusterView(leadership.Clustered ? "clustered" : "single", leadership.NodeId, now, ttl.TotalSeconds, leader, drift, checksByNode.GetValueOrDefault(""), views);
    }
}
