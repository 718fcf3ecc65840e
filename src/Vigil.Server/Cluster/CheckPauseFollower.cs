using Microsoft.Extensions.Hosting;
using Vigil.Core.Storage;
using Vigil.Server.Checks;
using Vigil.Server.Health;

namespace Vigil.Server.Cluster;

/// <summary>
/// On a cluster, a pause or resume committed on any node (<see cref="CommitTopics.CheckPauses"/>, delivered by LISTEN/NOTIFY) is
/// applied at once by the node that probes the check (<see cref="CheckRegistry.RefreshAsync"/>). On SQLite, where one node does
/// everything, it does nothing. Reports as <c>checks.pauses</c>.
/// </summary>
internal sealed class CheckPauseFollower(IVigilStore store, CheckRegistry registry, Leadership leadership, HealthBoard health, TimeProvider time) : BackgroundService
{
    internal const string HealthName = "checks.pauses";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!leadership.Clustered)
        {
            return;
        }

        await registry.Loaded.WaitAsync(stoppingToken);
        // The wait for the next commit starts before each refresh, so a pause committed during one is not missed.
        var next = store.NextCommitAsync(CommitTopics.CheckPauses, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await next;
                next = store.NextCommitAsync(CommitTopics.CheckPauses, stoppingToken);
                await registry.RefreshAsync(stoppingToken);
                health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(HealthName, ex);
                next = store.NextCommitAsync(CommitTopics.CheckPauses, stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }
}
