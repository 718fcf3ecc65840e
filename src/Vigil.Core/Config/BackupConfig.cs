namespace Vigil.Core.Config;

/// <summary>
/// A backup job (an entry of <c>backups:</c>). Set exactly one source: <c>source: self</c> (Vigil's
/// own database), <c>paths</c> or <c>command</c>. Every artifact is compressed (zstd), optionally
/// encrypted (AES-256-GCM in chunks), written to the destination with a signed manifest, and recorded
/// in the store. See docs/backups.md.
/// </summary>
[RemovedKey("encrypt", "`encrypt` was replaced by `encryption: { key_file: PATH }` or `encryption: { key_env: VAR }`: the key lives outside the config and outside the backups (see docs/backups.md)")]
[RemovedKey("encryption_key", "a backup key never goes in config text; put it in a file (`encryption: { key_file: PATH }`, mode 0600) or an environment variable (`encryption: { key_env: VAR }`)")]
[RemovedKey("verify", "`verify` was replaced by `restore_test: { cron: …, command: [argv…] }`, which restores the newest backup into a temporary folder and runs the command there")]
[RemovedKey("restore_test_every", "`restore_test_every` was replaced by `restore_test: { cron: …, command: [argv…] }`")]
public sealed class BackupConfig : IConfigValidatable
{
    /// <summary>Id of the job (<c>vigil backup run &lt;id&gt;</c>); its signal is <c>backup/&lt;id&gt;</c>.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>The service this job protects: its incidents carry the service, and the service's <c>rpo</c> is checked against the newest verified backup.</summary>
    [ReferenceTo("services")]
    public string? Service { get; set; }

    /// <summary>A built-in source: <c>self</c> is an online, consistent copy of Vigil's own database (as <c>vigil backup self</c> takes it).</summary>
    [Variant]
    public BackupSource? Source { get; set; }

    /// <summary>
    /// Program and arguments (no shell) whose stdout is the backup, like <c>[pg_dump, -Fc, orders]</c>.
    /// Exit code 0 means the stream is complete. A shell line needs <c>[sh, -c, "…"]</c>.
    /// </summary>
    [Variant]
    [NotEmpty]
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>Files and folders to archive (tar), relative to the config file.</summary>
    [Variant]
    [NotEmpty]
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary>Glob patterns left out of a <c>paths</c> job, matched against paths inside each listed folder (like <c>**/*.tmp</c>, <c>cache/</c>).</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    /// <summary>When the job runs.</summary>
    [Mandatory]
    [Cron]
    public string Cron { get; set; } = string.Empty;

    /// <summary>Time zone of <c>cron</c> and of the daily, weekly and monthly retention buckets.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>Retention (grandfather-father-son); a backup is kept while any rule keeps it. Default: the last 7.</summary>
    public BackupRetentionConfig Keep { get; set; } = new() { Last = 7 };

    /// <summary>Where artifacts and their manifests go; default: the folder <c>backups/&lt;id&gt;</c> in the data directory.</summary>
    public BackupDestinationConfig? Destination { get; set; }

    /// <summary>Compression of the stream before encryption.</summary>
    [OneOf("zstd", "none")]
    public string Compression { get; set; } = "zstd";

    /// <summary>zstd level, 1 (fastest) to 19 (smallest).</summary>
    [NumberRange(1, 19)]
    public int CompressionLevel { get; set; } = 3;

    /// <summary>Encrypt artifacts with AES-256-GCM (authenticated, in 1 MiB chunks). Unset means artifacts are stored unencrypted.</summary>
    public BackupEncryptionConfig? Encryption { get; set; }

    /// <summary>How long one backup may take; the command is stopped after it.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Restore the newest backup into a temporary folder on its own schedule and run a command there.</summary>
    public BackupRestoreTestConfig? RestoreTest { get; set; }

    /// <summary>Severity of the <c>backup/&lt;id&gt;</c> signal (failed backup, verification, restore test, missed schedule, RPO breach); default: the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? Severity { get; set; }

    /// <summary>Defined but not run on schedule (<c>vigil backup run</c> still works).</summary>
    public bool Paused { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Exclude.Count > 0 && Paths.Count == 0)
        {
            context.Error(ConfigPath.Member(path, "exclude"), "`exclude` only applies to a `paths` job; remove it or list `paths`");
        }

        // Older versions took a shell line with an {output} placeholder; an argv of one word with spaces is that.
        if (Command.Count == 1 && Command[0].Contains(' ', StringComparison.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "command"),
                $"`command` is a program and its arguments as a list, run without a shell (stdout is the backup), like [pg_dump, -Fc, orders]; for a shell line write [sh, -c, \"{ConfigText.Token(Command[0])}\"]");
        }
        else if (Command.Any(a => a.Contains("{output}", StringComparison.Ordinal)))
        {
            context.Error(ConfigPath.Member(path, "command"), "`{output}` is no longer replaced in `command`: the backup is the command's stdout (like `redis-cli --rdb -`)");
        }
    }
}
