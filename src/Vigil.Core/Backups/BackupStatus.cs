namespace Vigil.Core.Backups;

/// <summary>Where a backup stands: stored (and maybe verified), failed while being taken, or pruned by retention.</summary>
public enum BackupStatus
{
    Completed,
    Failed,
    Pruned,
}
