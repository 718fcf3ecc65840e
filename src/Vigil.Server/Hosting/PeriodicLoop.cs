using Microsoft.Extensions.Hosting;
using Vigil.Core.Storage;
using Vigil.Server.Cluster;
using Vigil.Server.Health;

namespace Vigil.Server.Hosting;

/// <summary>
/// The loop of services that do one thing on a fixed period (check history flush and prune): wait a
/// <see cref="Period"/> on the injected <see cref="TimeProvider"/>, run a turn, report its outcome to the
/// <see cref="HealthBoard"/> under the loop's name. A failed turn is retried on the next period. A <see cref="Singleton"/> loop
/// turns only on the node holding the leader lease, with its writes fenced by it (as <see cref="SweepLoop"/>).
/// </summary>
public abstract class PeriodicLoop(TimeProvider time, HealthBoard health, string healthName) : BackgroundService
{
    /// <summary>The clock the loop waits on.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How long to wait before each turn.</summary>
    protected abstract TimeSpan Period { get; }

    /// <summary>One turn of the loop's job.</summary>
    protected abstract Task TurnAsync(CancellationToken ct);

    /// <summary>True for work that must run on one node of a cluster only: the leader's.</summary>
    public virtual bool Singleton => false;

    /// <summary>Who leads; set by the server for every hosted loop. Null (a loop built by a test alone) runs as the only node.</summary>
    public Leadership? Leadership { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, Time, stoppingToken);
                if (Singleton && Leadership is { IsLeader: false })
                {
                    // Not the leader: this period's turn is the leader's.
                    continue;
                }

                using var fenced = Singleton && Leadership?.Fence is { } fence ? WriteFence.Enter(fence) : null;
                await TurnAsync(stoppingToken);
                health.Succeeded(healthName);
            }
            catch (LeaseLostException lost) when (!stoppingToken.IsCancellationRequested && Leadership is { } l)
            {
                l.Refused(lost);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(healthName, ex);
            }
        }
    }
}
