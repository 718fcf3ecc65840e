namespace Vigil.Core.Config;

/// <summary>
/// A command notifier (<c>command:</c>): set exactly one of <c>run</c> or <c>argv</c>. The
/// notification is passed as JSON on stdin; exit code 0 means delivered.
/// </summary>
public sealed class CommandNotifierConfig
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
}
