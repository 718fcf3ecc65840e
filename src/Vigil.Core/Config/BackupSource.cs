namespace Vigil.Core.Config;

/// <summary>Built-in backup sources.</summary>
public enum BackupSource
{
    /// <summary>Vigil's own database: an online, consistent SQLite copy, as <c>vigil backup self</c> takes it.</summary>
    Self,
}
