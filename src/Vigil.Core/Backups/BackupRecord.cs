namespace Vigil.Core.Backups;

/// <summary>
/// A backup as the store keeps it: the attempt (a failed one has an error and no manifest), the signed
/// manifest, the destination it went to, and the outcome of its latest verification.
/// </summary>
public sealed record BackupRecord(
    string Id,
    string Job,
    DateTimeOffset CreatedAt,
    BackupStatus Status,
    string Destination,
    BackupManifest? Manifest,
    string? Error,
    DateTimeOffset? VerifiedAt = null,
    bool? VerifyOk = null,
    string? VerifyError = null,
    DateTimeOffset? PrunedAt = null)
{
    /// <summary>Stored, and its latest verification passed.</summary>
    public bool IsVerified => Status == BackupStatus.Completed && VerifyOk == true;
}
