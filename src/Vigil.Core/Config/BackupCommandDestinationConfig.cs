namespace Vigil.Core.Config;

/// <summary>
/// A command destination (<c>destination.command:</c>): argv lists, run without a shell. In each,
/// <c>{file}</c> is the local path of the file to send or receive and <c>{name}</c> its name at the destination.
/// </summary>
public sealed class BackupCommandDestinationConfig
{
    /// <summary>Sends <c>{file}</c> (an artifact or a manifest) as <c>{name}</c>, like <c>[rclone, copyto, "{file}", "remote:backups/{name}"]</c>. Exit code 0 means stored.</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyList<string> Put { get; set; } = [];

    /// <summary>Writes <c>{name}</c> to stdout, like <c>[rclone, cat, "remote:backups/{name}"]</c>; without it, verify and restore cannot read this destination.</summary>
    [NotEmpty]
    public IReadOnlyList<string> Get { get; set; } = [];

    /// <summary>Deletes <c>{name}</c>; without it, prune only forgets pruned backups in the store.</summary>
    [NotEmpty]
    public IReadOnlyList<string> Delete { get; set; } = [];

    /// <summary>How long one command may take.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
