namespace Vigil.Core.Config;

/// <summary>Object lock for S3 witness objects (<c>object_lock:</c>): the bucket refuses to delete or overwrite each object until it expires.</summary>
public sealed class AuditWitnessObjectLockConfig
{
    /// <summary><c>compliance</c>: nobody, not even the bucket's root account, can shorten it; <c>governance</c>: accounts with a special permission can.</summary>
    [Mandatory]
    public ObjectLockMode Mode { get; set; }

    /// <summary>Days each checkpoint object is retained from when it is written.</summary>
    [Mandatory]
    [NumberRange(1, 36500)]
    public int Days { get; set; }
}
