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
        Parse.GetValue(GlobalOptions.Json) ? OutputFormat.Json : Parse.GetValue(GlobalOptions.Output) ?? OutputFormat.Table;

    public string DataDirectory =>
        Env.Resolve(Parse.GetValue(GlobalOptions.Data) ?? Env.Variable("VIGIL_DATA") ?? "data");

    public string ServerUrl =>
        (Parse.GetValue(GlobalOptions.Server) ?? Env.Variable("VIGIL_SERVER") ?? GlobalOptions.DefaultServer).TrimEnd('/');

    public IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(env.Out),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
    });

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

    public ApiClient Api() => new(ServerUrl, Token);

    public void WriteJson<T>(T value) => Env.Out.WriteLine(JsonSerializer.Serialize(value, CliJson.Pretty));

    public void Line(string text = "") => Env.Out.WriteLine(text);

    public void Error(string text) => Env.Error.WriteLine(text);
}
