namespace Vigil.Server.Config;

/// <summary>What a reload did.</summary>
public enum ReloadOutcome
{
    /// <summary>The files changed only in ways that do not change the config (comments, order).</summary>
    Unchanged,

    /// <summary>A new config is in force.</summary>
    Applied,

    /// <summary>The new files are invalid; the last good config stays in force.</summary>
    Rejected,
}
