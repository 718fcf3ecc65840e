namespace Vigil.Core.Config;

/// <summary>
/// A command check (<c>command:</c>): set exactly one of <c>run</c> (a shell string) or <c>argv</c>
/// (a program and its arguments, no shell). Without thresholds the exit code decides: 0 ok, 1
/// warning, 2 critical, anything else unknown. With thresholds, the last number printed on stdout is
/// compared against them.
/// </summary>
public sealed class CommandCheckConfig
{
    /// <summary>Shell command line, run with <c>/bin/sh -c</c>.</summary>
    [Variant]
    public string? Run { get; set; }

    /// <summary>Program and arguments, run without a shell.</summary>
    [Variant]
    [NotEmpty]
    public IReadOnlyList<string> Argv { get; set; } = [];

    /// <summary>Extra environment variables for the command.</summary>
    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>Working directory, relative to the config file; defaults to the config file's folder.</summary>
    public string? WorkingDir { get; set; }
}
