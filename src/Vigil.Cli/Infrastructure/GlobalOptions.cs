using System.CommandLine;

namespace Vigil.Cli;

/// <summary>Options every command accepts (kubectl/gh style).</summary>
internal static class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    public static readonly Option<string?> Server = new("--server")
    {
        Description = $"Vigil server URL (env VIGIL_SERVER; default {DefaultServer})",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "API token (env VIGIL_TOKEN; default: <data>/admin.token of a local server)",
        Recursive = true,
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (env VIGIL_DATA; default ./data)",
        Recursive = true,
    };

    public static readonly Option<OutputFormat?> Output = new("--output", "-o")
    {
        Description = "Output format: table or json (and sarif for runbook lint)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Same as -o json",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Add(Server);
        root.Add(Token);
        root.Add(Data);
        root.Add(Output);
        root.Add(Json);
    }
}
