namespace Vigil.Core.Backups;

/// <summary>
/// One outcome of a job's work: a run, a verification, a restore, a restore test or a prune, ok or not.
/// The newest event of each kind is what job health and the <c>backup/&lt;job&gt;</c> signal read.
/// </summary>
public sealed record BackupEvent(long Id, string Job, string? BackupId, string Kind, DateTimeOffset At, bool Ok, string Detail)
{
    public const string Run = "run";
    public const string Verify = "verify";
    public const string Restore = "restore";
    public const string RestoreTest = "restore_test";
    public const string Prune = "prune";
    public const string Missed = "missed";
}
