namespace Vigil.Core.Backups;

/// <summary>An artifact that cannot be read back as written: wrong key, altered or truncated bytes, not an artifact.</summary>
public sealed class BackupIntegrityException(string reason) : Exception(reason);
