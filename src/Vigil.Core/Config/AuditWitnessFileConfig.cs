namespace Vigil.Core.Config;

/// <summary>
/// A file witness (<c>file:</c>): each checkpoint is appended as one JSON line (opened append-only,
/// flushed to disk before it counts as delivered). It only witnesses if Vigil's host cannot rewrite it:
/// another machine's mount, an append-only (<c>chattr +a</c>) file, or a WORM share.
/// </summary>
public sealed class AuditWitnessFileConfig : IConfigValidatable
{
    /// <summary>Absolute path of the file; created on the first checkpoint, never truncated or rewritten by Vigil.</summary>
    [Mandatory]
    [NotEmpty]
    public string Path { get; set; } = string.Empty;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Path.Length > 0 && !System.IO.Path.IsPathRooted(Path))
        {
            context.Error(ConfigPath.Member(path, "path"),
                $"`path` must be absolute (got `{ConfigText.Token(Path)}`): a witness file belongs on another mount, like /mnt/audit-witness/vigil.jsonl");
        }
        else if (Path.EndsWith('/'))
        {
            context.Error(ConfigPath.Member(path, "path"), $"`path` names a folder (`{ConfigText.Token(Path)}`); name the file, like {Path}vigil-audit.jsonl");
        }
    }
}
