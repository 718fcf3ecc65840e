using Microsoft.Extensions.Logging;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Checks;

/// <summary>
/// Once an hour, drops raw samples older than <see cref="CheckEngineOptions.RawRetention"/> and
/// history rows older than <see cref="CheckEngineOptions.RollupRetention"/>. Reports as <c>checks.prune</c>.
/// </summary>
public sealed partial class CheckHistoryPruner : PeriodicLoop
{
    internal const string HealthName = "checks.prune";

    private readonly IVigilStore _store;
    private readonly CheckEngineOptions _options;
    private readonly ILogger<CheckHistoryPruner> _logger;

    public CheckHistoryPruner(IVigilStore store, HealthBoard health, TimeProvider time, CheckEngineOptions options, ILogger<CheckHistoryPruner> logger)
        : base(time, health, HealthName)
    {
        _store = store;
        _options = options;
        _logger = logger;
    }

    protected override TimeSpan Period => TimeSpan.FromHours(1);

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    protected override async Task TurnAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var (raw, rows) = await _store.RecordAsync((s, c) => s.Checks.PruneHistoryAsync(now - _options.RawRetention, now - _options.RollupRetention, c), ct);
        if (raw + rows > 0)
        {
            LogPruned(_logger, raw, rows);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned history: raw samples of {Raw} hour(s), {Rows} expired row(s)")]
    private static partial void LogPruned(ILogger logger, int raw, int rows);
}
