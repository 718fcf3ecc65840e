using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil serve</c>: run the server in the foreground until SIGTERM or Ctrl+C.</summary>
internal static class ServeCommand
{
    public static readonly Option<string?> Listen = new("--listen")
    {
        Description = "Address to listen on, overriding vigil.listen (default http://127.0.0.1:8080)",
    };

    public static Command Build(CliEnvironment env)
    {
        var serve = new Command("serve", "Run the Vigil server.") { ConfigCommands.ConfigFile, Listen };
        serve.SetHandler(env, async (ctx, ct) =>
        {
            var options = new ServerOptions
            {
                ConfigPath = ConfigCommands.ResolveConfig(ctx),
                DataDirectory = ExplicitDataDirectory(ctx),
                Listen = ctx.Parse.GetValue(Listen),
            };
            return await RunAsync(ctx, options, onStarted: null, ct);
        });
        return serve;
    }

    public static string? ExplicitDataDirectory(CliContext ctx) =>
        ctx.Parse.GetValue(GlobalOptions.Data) is { } d ? ctx.Env.Resolve(d)
        : ctx.Env.Variable("VIGIL_DATA") is { } e ? ctx.Env.Resolve(e)
        : null;

    /// <summary>Prepares, starts and runs a server; shared by serve and demo.</summary>
    public static async Task<int> RunAsync(CliContext ctx, ServerOptions options, Action<WebApplication, Uri, string?>? onStarted, CancellationToken ct)
    {
        if (options.Listen is { } listen && (!Uri.TryCreate(listen, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https")))
        {
            throw new CliException(ExitCodes.Usage, $"--listen '{listen}' is not an http:// or https:// URL, for example http://127.0.0.1:8080.");
        }

        if (!File.Exists(options.ConfigPath))
        {
            throw new CliException(ExitCodes.Usage,
                $"No config at {options.ConfigPath}. Create one with 'vigil init', pass -c FILE, or try 'vigil demo'.");
        }

        var prepared = await VigilServer.PrepareAsync(options, ct);
        if (prepared.App is null)
        {
            foreach (var e in prepared.Errors)
            {
                ctx.Error(e);
            }

            ctx.Error(prepared.IsConfigError ? $"{prepared.Errors.Count} config error(s); the server did not start." : "The server did not start.");
            return prepared.IsConfigError ? ExitCodes.Usage : ExitCodes.Failed;
        }

        await using var app = prepared.App;
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Failed, $"Cannot listen on {options.Listen ?? "the configured address"}: {ex.Message}. Pick another with --listen.");
        }

        var address = VigilServer.ListeningAddress(app);
        ctx.Line($"Vigil {ServerInfo.CurrentVersion} listening on {address} (data: {prepared.DataDirectory})");
        if (prepared.NewAdminToken is { } token)
        {
            ctx.Line($"First start: created admin token (shown once, also saved to {Path.Combine(prepared.DataDirectory, "admin.token")}, mode 0600):");
            ctx.Line($"  {token}");
        }

        onStarted?.Invoke(app, address, prepared.NewAdminToken);
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }
}
