using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Core.Results;
using Vigil.Probes.Processes;

namespace Vigil.Server.Backups;

/// <summary>Restore tests: the newest backup restored into a temporary folder, the job's command run there.</summary>
internal sealed partial class BackupEngine
{
    /// <summary>Restores the job's newest stored backup into a temporary folder and runs <c>restore_test.command</c> there; records and signals the outcome.</summary>
    public async Task<Outcome<BackupEvent>> RestoreTestAsync(BackupConfig job, string actor, CancellationToken ct)
    {
        var newest = (await store.ReadAsync((s, c) => s.Backups.ListAsync(job.Id, includePruned: false, limit: 50, c), ct))
            .FirstOrDefault(b => b.Status == BackupStatus.Completed);
        string? problem;
        string detail;
        var folder = Path.Combine(server.DataDirectory, "backups", ".restore-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (newest is null)
            {
                problem = $"restore test of {job.Id}: there is no stored backup to restore";
                detail = problem;
            }
            else
            {
                var restored = await RestoreAsync(newest.Id, folder, dryRun: false, [], actor, null, ct);
                if (restored.Refusal is { } r)
                {
                    problem = $"restore test of {newest.Id}: {r.Message}";
                    detail = problem;
                }
                else if (job.RestoreTest is { Command.Count: > 0 } test)
                {
                    var spec = new ProcessSpec(test.Command[0], test.Command.Skip(1), null, folder, test.Timeout) { MaxOutputBytes = 8192 };
                    var result = await processes.RunAsync(spec, ct);
                    problem = result.Succeeded ? null : $"restore test of {newest.Id}: {spec.Display} in the restored folder failed ({CommandDestination.Why(result)})";
                    detail = problem ?? $"restored {newest.Id} ({restored.Value!.Files.Count} entries) and {spec.Display} passed";
                }
                else
                {
                    problem = null;
                    detail = $"restored {newest.Id} ({restored.Value!.Files.Count} entries, checksums matched)";
                }
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var ok = problem is null;
        var recorded = await store.WriteAsync(async (s, c) =>
        {
            var e = await s.Backups.AddEventAsync(new BackupEvent(0, job.Id, newest?.Id, BackupEvent.RestoreTest, s.Now, ok, detail), c);
            await s.Audit.AppendAsync(new AuditDraft(actor, ok ? "backup.restore_test_passed" : "backup.restore_test_failed", "backup-job/" + job.Id, problem, null,
                JsonSerializer.Serialize(new { backup = newest?.Id, detail }, Json)), c);
            return e;
        }, ct);
        await signals.ReportAsync(job, BackupEvent.RestoreTest, problem, ct);
        return recorded;
    }
}
