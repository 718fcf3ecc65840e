using Vigil.Cli;

namespace Vigil.Server.Tests.Support;

/// <summary>The outcome of running the <c>vigil</c> CLI in-process.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <param name="input">What the user types (answers to questions); null means stdin is not a terminal.</param>
    public static async Task<CliRun> RunAsync(string[] args, string workingDirectory, IReadOnlyDictionary<string, string>? env = null, string? input = null)
    {
        using var stdin = input is null ? null : new StringReader(input);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // Only what the test passes: the CLI must not pick up VIGIL_* from the machine.
        var environment = new CliEnvironment(stdout, stderr, name => env is not null && env.TryGetValue(name, out var v) ? v : null, workingDirectory, stdin);
        var code = await CliApp.RunAsync(args, environment);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
