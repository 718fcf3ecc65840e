namespace Vigil.Core.Config;

/// <summary>
/// Encryption of a job's artifacts (<c>encryption:</c>): a 32-byte key, written as 64 hex digits or
/// base64, from a file or an environment variable (set exactly one). Losing the key loses the backups.
/// </summary>
public sealed class BackupEncryptionConfig
{
    /// <summary>File holding the key (relative to the config file); it should be mode 0600 and kept off the backup's destination.</summary>
    [Variant]
    [NotEmpty]
    public string? KeyFile { get; set; }

    /// <summary>Environment variable holding the key.</summary>
    [Variant]
    [NotEmpty]
    public string? KeyEnv { get; set; }
}
