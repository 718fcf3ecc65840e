using Vigil.Core.Backups;

namespace Vigil.Core.Storage;

/// <summary>Backups (one row per attempt, with its manifest) and the events of each job.</summary>
public interface IBackupRepository
{
    Task InsertAsync(BackupRecord backup, CancellationToken ct);

    /// <summary>Writes the mutable fields: status, error, verification, prune time.</summary>
    Task UpdateAsync(BackupRecord backup, CancellationToken ct);

    Task<BackupRecord?> GetAsync(string id, CancellationToken ct);

    /// <summary>Backups newest first, of one job or all; pruned ones only when asked.</summary>
    Task<IReadOnlyList<BackupRecord>> ListAsync(string? job, bool includePruned, int limit, CancellationToken ct);

    Task<BackupEvent> AddEventAsync(BackupEvent e, CancellationToken ct);

    /// <summary>Events newest first, of one job or all.</summary>
    Task<IReadOnlyList<BackupEvent>> ListEventsAsync(string? job, int limit, CancellationToken ct);

    /// <summary>The newest verified backup's time per job.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> NewestVerifiedAsync(CancellationToken ct);
}
