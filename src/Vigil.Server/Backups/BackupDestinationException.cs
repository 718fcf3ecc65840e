namespace Vigil.Server.Backups;

/// <summary>A destination refused or failed an operation; the message says which and why.</summary>
internal sealed class BackupDestinationException(string message) : Exception(message);
