namespace Vigil.Cli;

/// <summary>An expected failure with the sentence to print and the exit code to return.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
