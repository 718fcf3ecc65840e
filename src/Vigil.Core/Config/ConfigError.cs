namespace Vigil.Core.Config;

/// <summary>
/// One problem found while loading a config: where it is (file, 1-based line and column, key path)
/// and what to do about it. <see cref="ToString"/> renders <c>file:line:col: path: message</c>, the
/// form editors and CI annotations understand.
/// </summary>
public sealed class ConfigError
{
    public ConfigError(string file, int line, int column, string path, string message)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(message);
        File = file;
        Line = line;
        Column = column;
        Path = path;
        Message = message;
    }

    /// <summary>The file the problem is in, as given to the loader (includes relative to the root file's folder).</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>Key path such as <c>services[0].checks[1].every</c>; empty for file-level problems.</summary>
    public string Path { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    public override string ToString() =>
        Path.Length == 0
            ? $"{File}:{Line}:{Column}: {Message}"
            : $"{File}:{Line}:{Column}: {Path}: {Message}";
}
