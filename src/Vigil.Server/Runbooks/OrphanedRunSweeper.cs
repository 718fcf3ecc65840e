using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Runbooks;

/// <summary>
/// On a cluster's leader, every third of <c>cluster.lease_ttl</c>: the unfinished runbook runs of nodes with no heartbeat for a whole
/// TTL end as <c>interrupted</c> (<see cref="RunbookRuntime.InterruptOrphansAsync"/>), so a run never shows as running forever after its
/// node died. A node that restarts ends its own unfinished runs at start. On SQLite (one node) there is nothing to do.
/// Reports as <c>runbooks.orphans</c>.
/// </summary>
internal sealed partial class OrphanedRunSweeper(IVigilStore store, RunbookRuntime runtime, ConfigState config, HealthBoard health, TimeProvider time,
    ILogger<OrphanedRunSweeper> logger) : PeriodicLoop(time, health, HealthName)
{
    internal const string HealthName = "runbooks.orphans";

    protected override TimeSpan Period => config.Current.Config.Cluster.LeaseTtl / 3;

    /// <summary>Once in a cluster: on the leader only, its writes fenced.</summary>
    public override bool Singleton => true;

    protected override async Task TurnAsync(CancellationToken ct)
    {
        if (Leadership is not { Clustered: true } leadership)
        {
            return;
        }

        var ttl = config.Current.Config.Cluster.LeaseTtl;
        var now = Time.GetUtcNow();
        var nodes = await store.ReadAsync((s, c) => s.Cluster.ListNodesAsync(c), ct);
        var live = nodes.Where(n => now - n.LastHeartbeat < ttl).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var ended = await runtime.InterruptOrphansAsync(live.Contains, "system:node/" + leadership.NodeId, ct);
        if (ended > 0)
        {
            LogEnded(logger, ended);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended {Count} runbook run(s) of dead cluster nodes as interrupted")]
    private static partial void LogEnded(ILogger logger, int count);
}
