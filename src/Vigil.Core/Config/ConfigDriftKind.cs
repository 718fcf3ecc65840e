namespace Vigil.Core.Config;

/// <summary>How one part of the config differs between a config file and the config a server runs.</summary>
public enum ConfigDriftKind
{
    /// <summary>Both have the part, with different content.</summary>
    Changed,

    /// <summary>The file has the part and the server does not: loading the file would add it.</summary>
    Added,

    /// <summary>The server has the part and the file does not: loading the file would remove it.</summary>
    Removed,
}
