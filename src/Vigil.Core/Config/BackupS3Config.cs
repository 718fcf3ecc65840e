namespace Vigil.Core.Config;

/// <summary>An S3-compatible destination (<c>destination.s3:</c>). Credentials come from environment variables, never from config text.</summary>
public sealed class BackupS3Config
{
    /// <summary>Bucket name.</summary>
    [Mandatory]
    [NotEmpty]
    public string Bucket { get; set; } = string.Empty;

    /// <summary>Key prefix inside the bucket; default: the job id followed by <c>/</c>.</summary>
    public string? Prefix { get; set; }

    /// <summary>Endpoint of an S3-compatible server (MinIO, Ceph, R2); unset means AWS.</summary>
    [Url("http", "https")]
    public string? Endpoint { get; set; }

    /// <summary>Region (AWS) or the region name the server expects.</summary>
    [NotEmpty]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Address buckets as <c>endpoint/bucket</c> rather than <c>bucket.endpoint</c> (most self-hosted servers need this).</summary>
    public bool PathStyle { get; set; } = true;

    /// <summary>Environment variable holding the access key id.</summary>
    [NotEmpty]
    public string AccessKeyEnv { get; set; } = "AWS_ACCESS_KEY_ID";

    /// <summary>Environment variable holding the secret access key.</summary>
    [NotEmpty]
    public string SecretKeyEnv { get; set; } = "AWS_SECRET_ACCESS_KEY";
}
