using Microsoft.Extensions.Hosting;
using Vigil.Server.Health;

namespace Vigil.Server.Hosting;

/// <summary>
/// The loop of services that do one thing on a fixed period (check history flush and prune): wait a
/// <see cref="Period"/> on the injected <see cref="TimeProvider"/>, run a turn, report its outcome to the
/// <see cref="HealthBoard"/> under the loop's name. A failed turn is retried on the next period.
/// </summary>
public abstract class PeriodicLoop(TimeProvider time, HealthBoard health, string healthName) : BackgroundService
{
    /// <summary>The clock the loop waits on.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How long to wait before each turn.</summary>
    protected abstract TimeSpan Period { get; }

    /// <summary>One turn of the loop's job.</summary>
    protected abstract Task TurnAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, Time, stoppingToken);
                await TurnAsync(stoppingToken);
                health.Succeeded(healthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(healthName, ex);
            }
        }
    }
}
