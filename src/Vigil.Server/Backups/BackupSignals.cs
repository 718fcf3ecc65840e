using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Server.Incidents;

namespace Vigil.Server.Backups;

/// <summary>
/// The signal <c>backup/&lt;job&gt;</c>: it fires while any kind of the job's work is failing (a backup, a
/// verification, a restore test, a missed schedule, the RPO) and resolves when each failing kind has
/// succeeded again. The failing kinds are kept in memory; after a restart the first outcome of a job is sent
/// whatever it is, so a success then still resolves an incident left open.
/// </summary>
internal sealed class BackupSignals(IncidentPolicies policies, IntakeQueue intake, TimeProvider time)
{
    private readonly Dictionary<string, Dictionary<string, string>> _failing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Reports one outcome of <paramref name="kind"/> for the job: <paramref name="problem"/> null means it succeeded.</summary>
    public async Task ReportAsync(BackupConfig job, string kind, string? problem, CancellationToken ct)
    {
        Signal? signal;
        lock (_lock)
        {
            var first = _seen.Add(job.Id);
            if (!_failing.TryGetValue(job.Id, out var failing))
            {
                _failing[job.Id] = failing = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            var wasFailing = failing.Count > 0;
            if (problem is null)
            {
                failing.Remove(kind);
                if (kind == BackupEvent.Run)
                {
                    // A run that succeeds makes up for the one that was missed.
                    failing.Remove(BackupEvent.Missed);
                }
            }
            else
            {
                failing[kind] = problem;
            }

            signal = failing.Count > 0 && problem is not null ? Build(job, kind, problem, firing: true)
                : failing.Count == 0 && (wasFailing || first) ? Build(job, kind, $"backup job {job.Id}: {kind.Replace('_', ' ')} succeeded", firing: false)
                : null;
        }

        if (signal is not null)
        {
            await intake.SubmitAsync([IntakeCommand.Apply(signal, "backup:" + job.Id)], ct);
        }
    }

    /// <summary>The failing kinds of a job and why, for status.</summary>
    public IReadOnlyDictionary<string, string> Failing(string job)
    {
        lock (_lock)
        {
            return _failing.TryGetValue(job, out var f) ? new Dictionary<string, string>(f, StringComparer.Ordinal) : new Dictionary<string, string>();
        }
    }

    private Signal Build(BackupConfig job, string kind, string text, bool firing)
    {
        var policy = policies.Current;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["backup_job"] = job.Id, ["kind"] = kind };
        return new Signal(SignalSource.Backup, "backup/" + job.Id, firing ? SignalStatus.Firing : SignalStatus.Resolved, text,
            job.Severity ?? policy.Lowest.Id, policy.IsService(job.Service) ? job.Service : null, labels, time.GetUtcNow(),
            Title: firing ? $"Backup job {job.Id}: {kind.Replace('_', ' ')} failed" : null);
    }
}
