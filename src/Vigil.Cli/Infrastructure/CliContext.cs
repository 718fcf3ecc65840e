using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Vigil.Cli;

/// <summary>Everything a command needs: resolved global options, output and an API client factory.</summary>
internal sealed class CliContext(ParseResult parse, CliEnvironment env)
{
    public CliEnvironment Env { get; } = env;

    public ParseResult Parse { get; } = parse;

    public OutputFormat Format =>
        Parse.GetValue(GlobalOptions.Json) ? OutputFormat.Json
        : Parse.GetValue(GlobalOptions.Output) is OutputFormat.Sarif && Parse.CommandResult.Command.Name != "lint"
            ? throw new CliException(ExitCodes.Usage, "-o sarif is only for `vigil runbook lint`; use -o table or -o json here.")
        : Parse.GetValue(GlobalOptions.Output) ?? OutputFormat.Table;

    public string DataDirectory =>
        Env.Resolve(Parse.GetValue(GlobalOptions.Data) ?? Env.Variable("VIGIL_DATA") ?? "data");

    public string ServerUrl =>
        (Parse.GetValue(GlobalOptions.Server) ?? Env.Variable("VIGIL_SERVER") ?? GlobalOptions.DefaultServer).TrimEnd('/');

    public IAnsiConsole Console { get; } = CreateConsole(env);

    /// <summary>"3m ago", "2h ago", "5d ago": how long before now a time was.</summary>
    public static string Ago(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return "-";
        }

        var d = TimeProvider.System.GetUtcNow() - t;
        return d.TotalSeconds < 60 ? $"{Math.Max(0, (int)d.TotalSeconds)}s ago"
            : d.TotalMinutes < 60 ? $"{(int)d.TotalMinutes}m ago"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h ago"
            : $"{(int)d.TotalDays}d ago";
    }

    private static IAnsiConsole CreateConsole(CliEnvironment env)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(env.Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        // Piped or captured output has no terminal width; don't wrap tables at 80 columns there.
        if (!ReferenceEquals(env.Out, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>The token: --token, then VIGIL_TOKEN, then the local server's admin.token file.</summary>
    public string? Token
    {
        get
        {
            var token = Parse.GetValue(GlobalOptions.Token) ?? Env.Variable("VIGIL_TOKEN");
            if (!string.IsNullOrWhiteSpace(token))
            {
                return token.Trim();
            }

            var file = Path.Combine(DataDirectory, "admin.token");
            try
            {
                return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>A client whose answers are terminal-safe text, unless the output is JSON (which the serializer escapes).</summary>
    public ApiClient Api() => new(ServerUrl, Token, forTerminal: Format != OutputFormat.Json);

    /// <summary>A client for work that may run for hours on the server (a backup, a restore): no request timeout.</summary>
    public ApiClient LongApi() => new(ServerUrl, Token, forTerminal: Format != OutputFormat.Json, timeout: Timeout.InfiniteTimeSpan);

    public void WriteJson<T>(T value) => Env.Out.WriteLine(JsonSerializer.Serialize(value, CliJson.Pretty));

    public void Line(string text = "") => Env.Out.WriteLine(text);

    public void Error(string text) => Env.Error.WriteLine(text);
}
