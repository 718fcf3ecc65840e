namespace Vigil.Core.Config;

/// <summary>Where a job's artifacts go (<c>destination:</c>). Set exactly one of <c>path</c>, <c>s3</c> or <c>command</c>.</summary>
public sealed class BackupDestinationConfig
{
    /// <summary>A local folder, relative to the data directory unless absolute.</summary>
    [Variant]
    [NotEmpty]
    public string? Path { get; set; }

    /// <summary>An S3-compatible bucket (AWS S3, MinIO, Ceph, R2, …).</summary>
    [Variant]
    public BackupS3Config? S3 { get; set; }

    /// <summary>Programs that move artifacts somewhere else (rclone, azcopy, scp).</summary>
    [Variant]
    public BackupCommandDestinationConfig? Command { get; set; }
}
