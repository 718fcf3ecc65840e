using Vigil.Core.Config;
using Vigil.Core.Slos;
using Vigil.Core.Storage;

namespace Vigil.Server.Slos;

/// <summary>
/// Recovery points from heartbeat checks marked <c>backup: true</c>: the last successful ping of the
/// backup job is the newest point its service can be restored to.
/// </summary>
public sealed class HeartbeatRecoveryPoints(IVigilStore store) : IRecoveryPointSource
{
    public async Task<IReadOnlyList<RecoveryPoint>> NewestAsync(VigilConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var backupChecks = config.Services
            .SelectMany(s => s.Checks.Where(c => c.Heartbeat is { Backup: true }).Select(c => (Service: s.Id, Key: $"{s.Id}/{c.Id}")))
            .ToDictionary(x => x.Key, x => x.Service, StringComparer.Ordinal);
        if (backupChecks.Count == 0)
        {
            return [];
        }

        var records = await store.ReadAsync((s, c) => s.Checks.ListHeartbeatsAsync(c), ct);
        return records
            .Where(r => r.LastSuccess is not null && backupChecks.ContainsKey(r.Key))
            .Select(r => new RecoveryPoint(backupChecks[r.Key], r.LastSuccess!.Value, "heartbeat " + r.Key))
            .ToList();
    }
}
