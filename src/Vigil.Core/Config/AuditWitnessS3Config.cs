namespace Vigil.Core.Config;

/// <summary>
/// An S3 witness (<c>s3:</c>): each checkpoint becomes the object <c>{prefix}{seq:20 digits}.json</c>. With
/// <c>object_lock</c> each object is written with a retention the bucket enforces (the bucket must have
/// object lock enabled); credentials come from environment variables, never from config text.
/// </summary>
public sealed class AuditWitnessS3Config : IConfigValidatable
{
    /// <summary>Bucket name.</summary>
    [Mandatory]
    [NotEmpty]
    public string Bucket { get; set; } = string.Empty;

    /// <summary>Key prefix inside the bucket.</summary>
    [NotEmpty]
    public string Prefix { get; set; } = "vigil-audit/";

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

    /// <summary>Object lock retention for each checkpoint object (<c>x-amz-object-lock-mode</c>, <c>-retain-until-date</c>); unset writes none.</summary>
    public AuditWitnessObjectLockConfig? ObjectLock { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Prefix.StartsWith('/'))
        {
            context.Error(ConfigPath.Member(path, "prefix"), $"`prefix` must not start with `/` (got `{ConfigText.Token(Prefix)}`); object keys are relative to the bucket, like vigil-audit/");
        }
    }
}
