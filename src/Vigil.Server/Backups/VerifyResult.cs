namespace Vigil.Server.Backups;

/// <summary>The outcome of checking one backup: every reason it failed (none when it passed).</summary>
internal sealed record VerifyResult(string BackupId, bool Ok, IReadOnlyList<string> Problems, long PlainBytes);
