namespace Vigil.Core.Config;

/// <summary>Built-in backup sources.</summary>
public enum BackupSource
{
    /// <summary>Vigil's own state (the store, keys and data directory), as <c>vigil export</c> writes it.</summary>
    Self,
}
