using Vigil.Core.Config;
using Vigil.Core.Slos;

namespace Vigil.Server.Backups;

/// <summary>
/// Recovery points from Vigil's own backup jobs: the newest verified backup of each service (over every
/// job naming it). They outrank heartbeat points (<see cref="RecoveryPointRank.Verified"/>), so once a
/// service has a verified backup its RPO is measured against that alone.
/// </summary>
internal sealed class BackupRecoveryPoints(BackupStatusReader status) : IRecoveryPointSource
{
    public async Task<IReadOnlyList<RecoveryPoint>> NewestAsync(VigilConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Backups.Any(j => j.Service is not null))
        {
            return [];
        }

        var newest = await status.NewestVerifiedByServiceAsync(ct);
        return newest.Select(p => new RecoveryPoint(p.Key, p.Value.At, "verified backup of job " + p.Value.Job, RecoveryPointRank.Verified)).ToList();
    }
}
