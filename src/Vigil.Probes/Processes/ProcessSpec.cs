namespace Vigil.Probes.Processes;

/// <summary>
/// An immutable description of a process to run: the program, its arguments (passed as is, never
/// through a shell), extra environment variables, working directory and a timeout after which the
/// whole process group is stopped (SIGTERM, then SIGKILL after <see cref="KillGrace"/>).
/// </summary>
public sealed record ProcessSpec
{
    public ProcessSpec(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive (or infinite).");
        }

        FileName = fileName;
        Arguments = [.. arguments];
        Environment = environment is null ? new Dictionary<string, string>() : new Dictionary<string, string>(environment);
        WorkingDirectory = workingDirectory;
        Timeout = timeout;
    }

    /// <summary>A shell command line, run as <c>/bin/sh -c COMMAND</c>.</summary>
    public static ProcessSpec Shell(string command, IReadOnlyDictionary<string, string>? environment, string? workingDirectory, TimeSpan timeout) =>
        new("/bin/sh", ["-c", command], environment, workingDirectory, timeout);

    /// <summary>Program to run: a path, or a name looked up on <c>PATH</c>.</summary>
    public string FileName { get; }

    /// <summary>Arguments, each passed to the program as one argument, unsplit and unexpanded.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Variables added to (or replacing those of) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Working directory; null inherits the current one.</summary>
    public string? WorkingDirectory { get; }

    /// <summary>How long the process may run before it and its descendants are stopped.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Bytes kept of stdout and of stderr each: the first half and the last half, with a marker between when more was written.</summary>
    public int MaxOutputBytes { get; init; } = 64 * 1024;

    /// <summary>After SIGTERM, how long to wait for the process group to exit before SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called with each chunk read from stdout as it arrives (on the reading thread), for live streaming. Capture is unaffected.</summary>
    public Action<ReadOnlyMemory<byte>>? OnStdout { get; init; }

    /// <summary>Text written to stdin, which is then closed. Null closes stdin at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>The command line for messages (arguments with spaces quoted).</summary>
    public string Display =>
        string.Join(' ', new[] { FileName }.Concat(Arguments).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}
