namespace Vigil.Cli;

/// <summary>What the CLI reads from its surroundings, injectable so tests run it in-process.</summary>
/// <param name="Input">Where answers to questions come from; null when nobody can answer (stdin is not a terminal).</param>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, Func<string, string?> Variable, string WorkingDirectory, TextReader? Input = null)
{
    public static CliEnvironment FromProcess() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), Console.IsInputRedirected ? null : Console.In);

    /// <summary>The clock (for a Retry-After given as a date); tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How the CLI waits before a retry (a rate-limited vendor API); tests record the delay instead of sleeping.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = (delay, ct) => Task.Delay(delay, TimeProvider.System, ct);

    /// <summary>Resolves a path given on the command line against the working directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);
}
