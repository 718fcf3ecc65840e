using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Server.Demo;

/// <summary>Applies scripted and expiring modes once a second (opening or closing listeners for "down").</summary>
internal sealed partial class DemoFleetTicker(DemoFleet fleet, TimeProvider time, ILogger<DemoFleetTicker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                foreach (var t in fleet.Targets)
                {
                    t.SyncListener();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fleet tick failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
