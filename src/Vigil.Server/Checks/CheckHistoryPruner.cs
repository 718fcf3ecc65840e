using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Server.Health;

namespace Vigil.Server.Checks;

/// <summary>
/// Once an hour, drops raw samples older than <see cref="CheckEngineOptions.RawRetention"/> and
/// history rows older than <see cref="CheckEngineOptions.RollupRetention"/>. Reports as <c>checks.prune</c>.
/// </summary>
public sealed partial class CheckHistoryPruner : BackgroundService
{
    internal const string HealthName = "checks.prune";

    private readonly IVigilStore _store;
    private readonly HealthBoard _health;
    private readonly TimeProvider _time;
    private readonly CheckEngineOptions _options;
    private readonly ILogger<CheckHistoryPruner> _logger;

    public CheckHistoryPruner(IVigilStore store, HealthBoard health, TimeProvider time, CheckEngineOptions options, ILogger<CheckHistoryPruner> logger)
    {
        _store = store;
        _health = health;
        _time = time;
        _options = options;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromHours(1), _time, stoppingToken);
                var now = _time.GetUtcNow();
                var (raw, rows) = await _store.RecordAsync((s, c) => s.Checks.PruneHistoryAsync(now - _options.RawRetention, now - _options.RollupRetention, c), stoppingToken);
                if (raw + rows > 0)
                {
                    LogPruned(_logger, raw, rows);
                }

                _health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _health.Failed(HealthName, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned history: raw samples of {Raw} hour(s), {Rows} expired row(s)")]
    private static partial void LogPruned(ILogger logger, int raw, int rows);
}
