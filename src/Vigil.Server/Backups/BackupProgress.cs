namespace Vigil.Server.Backups;

/// <summary>Progress of one long backup operation: the phase and bytes done so far (plaintext bytes).</summary>
internal sealed record BackupProgress(string Phase, long Bytes);
