using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;

namespace Vigil.Server.Incidents;

/// <summary>
/// The incident engine's timers: ack-target breaches and the expiry of alerts that stopped being
/// re-sent. The timers are rows with due times in the store, so they survive restarts: after a
/// restart the first sweep records whatever fell due while Vigil was down, at the time it fell due.
/// </summary>
public sealed partial class IncidentTimers(IVigilStore store, IncidentPolicies policies, TimeProvider time, ILogger<IncidentTimers> logger) : BackgroundService
{
    /// <summary>Longest sleep between sweeps, so timers created meanwhile are picked up.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(5);

    /// <summary>Records every timer that is due now; returns how many rows it handled.</summary>
    public Task<int> SweepAsync(CancellationToken ct) =>
        store.RecordAsync(async (s, c) =>
            await IncidentWriter.RecordAckBreachesAsync(s, policies.Current, c) + await IncidentWriter.ExpireSignalsAsync(s, policies.Current, c), ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = MaxSleep;
            try
            {
                // A full batch means more may be due: sweep again at once.
                while (await SweepAsync(stoppingToken) >= 500)
                {
                }

                var next = await store.ReadAsync((s, c) => s.Incidents.NextDueAsync(c), stoppingToken);
                if (next is { } due)
                {
                    var wait = due - time.GetUtcNow();
                    sleep = wait < TimeSpan.Zero ? TimeSpan.Zero : wait < MaxSleep ? wait : MaxSleep;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(sleep + TimeSpan.FromMilliseconds(1), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident timer sweep failed; retrying")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
