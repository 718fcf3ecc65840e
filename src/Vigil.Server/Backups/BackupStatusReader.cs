using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Config;

namespace Vigil.Server.Backups;

/// <summary>Job health for the API, <c>vigil status</c> and the RPO evaluation: newest backups per job from the store, failing kinds from <see cref="BackupSignals"/>.</summary>
internal sealed class BackupStatusReader(IVigilStore store, ConfigState config, BackupSignals signals, BackupDestinations destinations, TimeProvider time)
{
    public async Task<IReadOnlyList<BackupJobView>> JobsAsync(CancellationToken ct)
    {
        var cfg = config.Current.Config;
        var (latest, verified) = await store.ReadAsync(async (s, c) =>
        {
            var all = await s.Backups.ListAsync(null, includePruned: false, limit: 10_000, c);
            return (all.GroupBy(b => b.Job).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal), await s.Backups.NewestVerifiedAsync(c));
        }, ct);
        var now = time.GetUtcNow();
        return cfg.Backups.Select(job =>
        {
            var last = latest.GetValueOrDefault(job.Id);
            DateTimeOffset? newest = verified.TryGetValue(job.Id, out var v) ? v : null;
            var rpo = cfg.Services.FirstOrDefault(s => s.Id == job.Service)?.Rpo;
            var failing = signals.Failing(job.Id);
            return new BackupJobView(job.Id, job.Service,
                job.Paths.Count > 0 ? "paths" : job.Command.Count > 0 ? "command" : "self",
                job.Cron, job.Timezone, job.Paused, destinations.For(job, cfg.BaseDirectory).Description,
                NextRun(job, now), last?.CreatedAt, last is null ? null : last.Status == BackupStatus.Completed ? "completed" : "failed",
                newest, newest is { } n ? (now - n).TotalSeconds : null, rpo?.TotalSeconds,
                failing.Count == 0 && last?.Status != BackupStatus.Failed, failing);
        }).ToList();
    }

    /// <summary>The newest verified backup per service (over every job naming the service), and its job: what an RPO is measured against.</summary>
    public async Task<IReadOnlyDictionary<string, (DateTimeOffset At, string Job)>> NewestVerifiedByServiceAsync(CancellationToken ct)
    {
        var cfg = config.Current.Config;
        var verified = await store.ReadAsync((s, c) => s.Backups.NewestVerifiedAsync(c), ct);
        var result = new Dictionary<string, (DateTimeOffset At, string Job)>(StringComparer.Ordinal);
        foreach (var job in cfg.Backups.Where(j => j.Service is not null))
        {
            if (verified.TryGetValue(job.Id, out var at) && (!result.TryGetValue(job.Service!, out var had) || at > had.At))
            {
                result[job.Service!] = (at, job.Id);
            }
        }

        return result;
    }

    public static DateTimeOffset? NextRun(BackupConfig job, DateTimeOffset after) =>
        CronRules.TryParse(job.Cron, out var cron, out _) ? cron!.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(job.Timezone)) : null;
}
