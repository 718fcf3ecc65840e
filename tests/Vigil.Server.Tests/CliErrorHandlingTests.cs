using System.CommandLine;
using Vigil.Cli;

namespace Vigil.Server.Tests;

/// <summary>
/// What a command's failure prints: Vigil's own <see cref="CliException"/> and the environment's file errors are one
/// sentence; anything else is a bug and says so (exit 70), instead of passing for a mistake in the input.
/// </summary>
public sealed class CliErrorHandlingTests
{
    private static async Task<(int Code, string Error)> InvokeAsync(Exception thrown, IReadOnlyDictionary<string, string>? variables = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, name => variables?.GetValueOrDefault(name), Path.GetTempPath());
        var root = new RootCommand("test");
        GlobalOptions.AddTo(root);
        var boom = new Command("boom");
        boom.SetHandler(env, (_, _) => Task.FromException<int>(thrown));
        root.Add(boom);
        var code = await root.Parse(["boom"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        return (code, stderr.ToString());
    }

    [Fact]
    public async Task Handler_CliException_PrintsItsSentence_AndItsExitCode()
    {
        var (code, error) = await InvokeAsync(new CliException(ExitCodes.Usage, "--param x: write NAME=VALUE."));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("vigil: --param x: write NAME=VALUE." + Environment.NewLine, error);
    }

    [Fact]
    public async Task Handler_FileError_PrintsOneSentence_Exit1()
    {
        var (code, error) = await InvokeAsync(new UnauthorizedAccessException("Access to the path '/etc/vigil/vigil.yaml' is denied."));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("vigil: Access to the path '/etc/vigil/vigil.yaml' is denied." + Environment.NewLine, error);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(NullReferenceException))]
    public async Task Handler_UnexpectedException_IsReportedAsABug_Exit70_WithoutAStackTrace(Type type)
    {
        var (code, error) = await InvokeAsync((Exception)Activator.CreateInstance(type, "Sequence contains no elements")!);

        Assert.Equal(ExitCodes.Internal, code);
        Assert.StartsWith($"vigil: internal error: {type.Name}: Sequence contains no elements", error, StringComparison.Ordinal);
        Assert.Contains("this is a bug in Vigil, not in your input; please report it", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_UnexpectedException_WithVigilDebug_PrintsTheStackTrace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var (code, error) = await InvokeAsync(thrown, new Dictionary<string, string> { ["VIGIL_DEBUG"] = "1" });

        Assert.Equal(ExitCodes.Internal, code);
        Assert.Contains("System.InvalidOperationException: boom", error, StringComparison.Ordinal);
        Assert.Contains(nameof(Handler_UnexpectedException_WithVigilDebug_PrintsTheStackTrace), error, StringComparison.Ordinal);
    }
}
