using Vigil.Core.Backups;

namespace Vigil.Server.Api;

/// <summary>A backup: the attempt, its manifest's figures and its latest verification. <c>age_seconds</c> is from the server's clock.</summary>
public sealed record BackupView(
    string Id, string Job, DateTimeOffset CreatedAt, double AgeSeconds, string Status, string Destination, string? Error,
    string? SourceKind, long? PlainSize, long? StoredSize, string? PlainSha256, string? StoredSha256, string? Compression, string? Cipher, string? KeyId, int? Files,
    string? SignedBy, bool? Verified, DateTimeOffset? VerifiedAt, string? VerifyError, DateTimeOffset? PrunedAt)
{
    public static BackupView From(BackupRecord b, DateTimeOffset now) => new(
        b.Id, b.Job, b.CreatedAt, Math.Max(0, (now - b.CreatedAt).TotalSeconds),
        b.Status switch { BackupStatus.Completed => "completed", BackupStatus.Failed => "failed", _ => "pruned" },
        b.Destination, b.Error, b.Manifest?.SourceKind, b.Manifest?.PlainSize, b.Manifest?.StoredSize, b.Manifest?.PlainSha256, b.Manifest?.StoredSha256,
        b.Manifest?.Compression, b.Manifest?.Cipher, b.Manifest?.KeyId, b.Manifest?.Files, b.Manifest?.Signature?.KeyId, b.VerifyOk, b.VerifiedAt, b.VerifyError, b.PrunedAt);
}

/// <summary>Body of <c>POST /api/v1/backup-jobs/{job}/runs</c>: <c>verify</c> (default true) reads the backup back from its destination afterwards.</summary>
public sealed record BackupRunRequest(bool? Verify);

/// <summary>Body of <c>POST /api/v1/backups/self</c>: <c>to</c> is a folder on the server (default: the configured self job, else <c>backups/vigil-self</c> in the data folder).</summary>
public sealed record BackupSelfRequest(string? To);

/// <summary>The outcome of <c>POST /api/v1/backups/{id}/verify</c>: every problem found (none when <c>ok</c>).</summary>
public sealed record BackupVerifyView(string Id, bool Ok, IReadOnlyList<string> Problems, long PlainBytes);

/// <summary>Body of <c>POST /api/v1/backups/{id}/restore</c>: a folder on the server (new or empty), a dry run, and paths to restore alone.</summary>
public sealed record BackupRestoreRequest(string? To, bool? DryRun, IReadOnlyList<string>? Only);

public sealed record RestoredFileView(string Path, long Size);

public sealed record BackupRestoreView(string Id, string To, bool DryRun, IReadOnlyList<RestoredFileView> Files, long Bytes);

/// <summary>Body of <c>POST /api/v1/backup-jobs/{job}/prune</c>.</summary>
public sealed record BackupPruneRequest(bool? DryRun);

public sealed record RetentionDecisionView(string Id, DateTimeOffset CreatedAt, bool Keep, IReadOnlyList<string> Reasons);

public sealed record BackupPruneView(string Job, bool DryRun, IReadOnlyList<RetentionDecisionView> Decisions, IReadOnlyList<string> Problems);

/// <summary>One outcome of a job's work (run, verify, restore, restore_test, prune, missed, rpo).</summary>
public sealed record BackupEventView(long Id, string Job, string? BackupId, string Kind, DateTimeOffset At, bool Ok, string Detail)
{
    public static BackupEventView From(BackupEvent e) => new(e.Id, e.Job, e.BackupId, e.Kind, e.At, e.Ok, e.Detail);
}

/// <summary>A job's health: its newest backup, newest verified backup and what is failing now (kind → reason).</summary>
public sealed record BackupJobView(
    string Id, string? Service, string Source, string Cron, string Timezone, bool Paused, string Destination,
    DateTimeOffset? NextRunAt, DateTimeOffset? LastBackupAt, string? LastBackupStatus, DateTimeOffset? NewestVerifiedAt, double? NewestVerifiedAgeSeconds,
    double? RpoSeconds, bool Healthy, IReadOnlyDictionary<string, string> Failing);
