using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
                KeysFile = ctx.Env.Variable("VIGIL_KEYS_FILE") is { Length: > 0 } keys ? ctx.Env.Resolve(keys) : null,
                SigningKeyPem = ctx.Env.Variable("VIGIL_SIGNING_KEY"),
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

        // While the server starts, the host's own log stays quiet: a failed start (a port in use) would
        // otherwise log "Hosting failed to start" and every cancelled background service with a stack trace
        // before the one sentence below. Once it runs, the host logs as configured again.
        var starting = true;
        var userExtend = options.Extend;
        options = options with
        {
            Extend = b =>
            {
                b.Logging.AddFilter(HostLogCategory, level => !starting && level >= LogLevel.Warning);
                userExtend?.Invoke(b);
            },
        };

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
            var wanted = options.Listen ?? app.Configuration[WebHostDefaults.ServerUrlsKey] ?? "the configured address";
            var flag = options.Listen is null ? "'listen:' in the config (or --listen URL)" : "--listen URL";
            throw new CliException(ExitCodes.Failed, IsAddressInUse(ex)
                ? $"Cannot listen on {wanted}: the address is already in use by another process (another Vigil?). Stop that process, or pick a free address with {flag}."
                : $"Cannot listen on {wanted}: {ex.Message.TrimEnd('.')}. Pick another address with {flag}.");
        }

        starting = false;
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

    private const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static bool IsAddressInUse(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || e.GetType().Name == "AddressInUseException")
            {
                return true;
            }
        }

        return false;
    }
}
