namespace Vigil.Core.Config;

/// <summary>
/// A restore test (<c>restore_test:</c>): on its own schedule, the newest backup is verified and restored
/// into a temporary folder, and the command runs there (its working directory). Exit code 0 passes.
/// </summary>
public sealed class BackupRestoreTestConfig
{
    /// <summary>When to test.</summary>
    [Mandatory]
    [Cron]
    public string Cron { get; set; } = string.Empty;

    /// <summary>Program and arguments run in the restored folder, like <c>[pg_restore, --list, orders.out]</c>; unset means restoring and verifying is the test.</summary>
    [NotEmpty]
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>How long the restore and the command may take together.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
