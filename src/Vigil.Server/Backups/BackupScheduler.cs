using Microsoft.Extensions.Logging;
using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;

namespace Vigil.Server.Backups;

/// <summary>
/// A thin sweep around <see cref="BackupEngine"/>: runs each job at its cron time (then verifies it), runs
/// restore tests at theirs, and reports a missed schedule (a due time that finds the previous run still going).
/// A service's RPO is measured by the SLO engine, which takes the newest verified backup from <see cref="BackupRecoveryPoints"/>.
/// Outcomes become the <c>backup/&lt;job&gt;</c> signal through <see cref="BackupSignals"/>. Times missed while Vigil was down are not caught up.
/// </summary>
internal sealed partial class BackupScheduler(BackupEngine engine, BackupSignals signals, ConfigState config, TimeProvider time,
    HealthBoard health, ILogger<BackupScheduler> logger) : SweepLoop(time, health)
{
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _work = new(StringComparer.Ordinal);

    public override string HealthName => "backup-scheduler";

    /// <summary>Once in a cluster: on the leader only (docs/operations.md, "Clustered deployment").</summary>
    public override bool Singleton => true;

    protected override TimeSpan MaxSleep => TimeSpan.FromSeconds(30);

    protected override int FullBatch => int.MaxValue;

    /// <summary>Completes when every started backup and restore test has ended.</summary>
    internal Task WorkAsync()
    {
        lock (_work)
        {
            return Task.WhenAll(_work.Values);
        }
    }

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var jobs = config.Current.Config.Backups.Where(j => !j.Paused).ToList();
        var due = new List<(BackupConfig Job, string Kind)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            foreach (var (kind, cron) in Schedules(job))
            {
                var key = $"{kind}\n{job.Id}\n{cron}\n{job.Timezone}";
                keys.Add(key);
                if (!_next.TryGetValue(key, out var at))
                {
                    if (Next(cron, job.Timezone, now) is { } first)
                    {
                        _next[key] = first;
                    }

                    continue;
                }

                if (at > now)
                {
                    continue;
                }

                if (Next(cron, job.Timezone, now) is { } following)
                {
                    _next[key] = following;
                }
                else
                {
                    _next.Remove(key);
                }

                due.Add((job, kind));
            }
        }

        foreach (var stale in _next.Keys.Where(k => !keys.Contains(k)).ToList())
        {
            _next.Remove(stale);
        }

        foreach (var (job, kind) in due)
        {
            await StartAsync(job, kind, ct);
        }

        return due.Count;
    }

    private async Task StartAsync(BackupConfig job, string kind, CancellationToken ct)
    {
        var key = kind + "\n" + job.Id;
        var actor = "schedule:backup/" + job.Id;
        bool busy;
        lock (_work)
        {
            busy = _work.TryGetValue(key, out var previous) && !previous.IsCompleted;
            if (!busy)
            {
                _work[key] = Task.Run(async () =>
                {
                    // The backup finishes and is recorded on the node that began it, even if leadership moves meanwhile.
                    using var unfenced = Vigil.Core.Storage.WriteFence.Suppress();
                    try
                    {
                        if (kind == BackupEvent.Run)
                        {
                            await engine.RunJobAsync(job, actor, verify: true, null, CancellationToken.None);
                        }
                        else
                        {
                            await engine.RestoreTestAsync(job, actor, CancellationToken.None);
                        }
                    }
                    catch (Exception ex)
                    {
                        LogWorkFailed(logger, job.Id, kind, ex);
                    }
                }, CancellationToken.None);
            }
        }

        if (busy)
        {
            LogMissed(logger, job.Id, kind);
            await signals.ReportAsync(job, BackupEvent.Missed,
                $"backup job {job.Id}: its {kind.Replace('_', ' ')} was due at {Time.GetUtcNow():u} while the previous one was still running; the schedule was missed", ct);
        }
    }

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        var next = _next.Values.DefaultIfEmpty().Min();
        return Task.FromResult<DateTimeOffset?>(next == default ? null : next);
    }

    private static IEnumerable<(string Kind, string Cron)> Schedules(BackupConfig job)
    {
        yield return (BackupEvent.Run, job.Cron);
        if (job.RestoreTest is { } test)
        {
            yield return (BackupEvent.RestoreTest, test.Cron);
        }
    }

    private static DateTimeOffset? Next(string cron, string zone, DateTimeOffset after) =>
        CronRules.TryParse(cron, out var expression, out _) ? expression!.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(zone)) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup job {Job}: its {Kind} is due but the previous one has not ended; missed")]
    private static partial void LogMissed(ILogger logger, string job, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup job {Job}: scheduled {Kind} failed unexpectedly")]
    private static partial void LogWorkFailed(ILogger logger, string job, string kind, Exception ex);
}
