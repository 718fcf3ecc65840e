namespace Vigil.Core.Config;

/// <summary>
/// A backup job (an entry of <c>backups:</c>). Set exactly one of <c>source: self</c>,
/// <c>command</c> or <c>paths</c>. Every backup gets a SHA-256 manifest. Not active in this version:
/// jobs are validated but not run yet.
/// </summary>
public sealed class BackupConfig
{
    /// <summary>Id of the job (<c>vigil backup run &lt;id&gt;</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>A built-in source: <c>self</c> backs up Vigil's own state.</summary>
    [Variant]
    public BackupSource? Source { get; set; }

    /// <summary>
    /// Shell command that writes the backup. <c>{output}</c> is replaced by the file to write;
    /// without it, the command's stdout is the backup.
    /// </summary>
    [Variant]
    public string? Command { get; set; }

    /// <summary>Files and folders to archive, relative to the config file.</summary>
    [Variant]
    [NotEmpty]
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary>When the job runs.</summary>
    [Mandatory]
    [Cron]
    public string Cron { get; set; } = string.Empty;

    /// <summary>Time zone of <c>cron</c>.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>Retention; a backup is kept while any rule keeps it. Default: the last 7.</summary>
    public BackupRetentionConfig Keep { get; set; } = new() { Last = 7 };

    /// <summary>Encrypt backups with AES-256-GCM.</summary>
    public bool Encrypt { get; set; }

    /// <summary>Base64 of a 32-byte key; when unset, the server's own backup key in the data directory is used.</summary>
    [Secret]
    public string? EncryptionKey { get; set; }

    /// <summary>Command that checks a backup; <c>{file}</c> is replaced by its path. Exit code 0 means good.</summary>
    public string? Verify { get; set; }

    /// <summary>Folder to write backups to, relative to the data directory; default <c>backups/&lt;id&gt;</c>.</summary>
    public string? Destination { get; set; }

    /// <summary>How long one backup may take.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Test-restore the newest backup this often (dry run, then verify); unset means never automatically.</summary>
    [Positive]
    public TimeSpan? RestoreTestEvery { get; set; }
}
