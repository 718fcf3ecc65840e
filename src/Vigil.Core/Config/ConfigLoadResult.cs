namespace Vigil.Core.Config;

/// <summary>
/// The outcome of <see cref="ConfigLoader.Load"/>: either a valid <see cref="VigilConfig"/> or the
/// complete list of errors (never both). <see cref="SourceFiles"/> is filled either way so a
/// watcher can reload when any of them changes, even after a failed load.
/// </summary>
public sealed class ConfigLoadResult
{
    internal ConfigLoadResult(VigilConfig? config, IReadOnlyList<ConfigError> errors, IReadOnlyList<ConfigError> warnings, IReadOnlyList<string> sourceFiles)
    {
        Config = errors.Count == 0 ? config : null;
        Errors = errors;
        Warnings = warnings;
        SourceFiles = sourceFiles;
    }

    /// <summary>The loaded config, or <see langword="null"/> when there is any error.</summary>
    public VigilConfig? Config { get; }

    /// <summary>Every error found, ordered by file (in read order), line and column.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Problems that do not stop the config from loading (for example a secret written literally in the file).</summary>
    public IReadOnlyList<ConfigError> Warnings { get; }

    /// <summary>Full paths of every file read (the root first, then includes in the order read).</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    public bool Success => Config is not null && Errors.Count == 0;
}
