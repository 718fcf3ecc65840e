using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Checks;
using Vigil.Server.Config;

namespace Vigil.Server.Cluster;

/// <summary><c>GET /cluster</c> (viewer): nodes, their heartbeats, the leader, check shares and config digests.</summary>
internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGet("/cluster", async (IVigilStore store, Leadership leadership, ConfigState config, CheckRegistry checks, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await BuildAsync(store, leadership, config, checks.Snapshot().Select(c => c.Definition.Key).ToList(), time.GetUtcNow(), ct)))
            .WithTags("Cluster").RequireRole(Role.Viewer)
            .WithSummary("The cluster: every node with its last heartbeat (age, live or dead), version, address and config digest; the leader "
                + "with its lease's fencing token; how many checks each node probes; and whether live nodes' config digests drift.");
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
        var views = nodes.Select(n =>
        {
            var age = now - n.LastHeartbeat;
            var live = n.Id == leadership.NodeId || age < ttl;
            var isLeader = leader?.Node == n.Id;
            return new ClusterNodeView(n.Id, n.Address, n.Version, n.StartedAt, n.LastHeartbeat, Math.Max(0, Math.Round(age.TotalSeconds, 1)), live, isLeader,
                n.Id == leadership.NodeId, isLeader ? checkKeys.Count : 0, n.ConfigDigest, n.ConfigDigest != mine);
        }).ToList();
        var drift = views.Where(v => v.Live).Select(v => v.ConfigDigest).Distinct(StringComparer.Ordinal).Count() > 1;
        return new ClusterView(leadership.Clustered ? "clustered" : "single", leadership.NodeId, now, ttl.TotalSeconds, leader, drift, views);
    }
}
