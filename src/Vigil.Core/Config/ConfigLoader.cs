namespace Vigil.Core.Config;

/// <summary>
/// Loads <c>vigil.yaml</c> and its includes into a validated <see cref="VigilConfig"/>. It never
/// throws for bad input: every problem in every file comes back in <see cref="ConfigLoadResult.Errors"/>.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The largest config file (root or include) that is read: 4 MiB.</summary>
    public const long MaxFileBytes = ConfigLoadSession.MaxFileBytes;

    /// <summary>Loads the config file at <paramref name="path"/>.</summary>
    /// <param name="path">The root config file; includes resolve relative to the file that names them.</param>
    /// <param name="environment">Lookup for <c>${VAR}</c>; the process environment when null.</param>
    public static ConfigLoadResult Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ConfigLoadSession(path, text: null, environment ?? Environment.GetEnvironmentVariable).Run();
    }

    /// <summary>
    /// Loads a config from text. <paramref name="virtualPath"/> names it in errors, and its folder
    /// (relative to the current directory) is where includes and relative paths resolve.
    /// </summary>
    public static ConfigLoadResult LoadFromString(string yaml, string virtualPath = "vigil.yaml", Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(virtualPath);
        return new ConfigLoadSession(virtualPath, yaml, environment ?? Environment.GetEnvironmentVariable).Run();
    }
}
