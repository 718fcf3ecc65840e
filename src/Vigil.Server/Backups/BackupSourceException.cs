namespace Vigil.Server.Backups;

/// <summary>A backup's source could not be read (a missing path, a failed command); the message says which and how to fix it.</summary>
internal sealed class BackupSourceException(string message) : Exception(message);
