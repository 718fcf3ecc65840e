using System.CommandLine;
using Spectre.Console;
using Vigil.Server.Api;
using Vigil.Server.Demo;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil demo</c>: the server on the embedded demo config with a fresh data directory and the
/// demo fleet on loopback; <c>vigil demo fleet</c> shows and commands the fleet of a running demo.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(CliEnvironment env)
    {
        var demo = new Command("demo", "Run Vigil on the built-in demo config and fleet, with a temporary data directory.") { ServeCommand.Listen };
        demo.SetHandler(env, async (ctx, ct) =>
        {
            var explicitDir = ServeCommand.ExplicitDataDirectory(ctx);
            var dir = explicitDir ?? Directory.CreateTempSubdirectory("vigil-demo-").FullName;
            try
            {
                return await RunDemoAsync(ctx, dir, ct);
            }
            finally
            {
                if (explicitDir is null)
                {
                    // A temporary demo leaves nothing behind.
                    TryDelete(dir);
                }
            }
        });

        demo.Add(BuildFleet(env));
        return demo;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static async Task<int> RunDemoAsync(CliContext ctx, string dir, CancellationToken ct)
    {
        var configPath = DemoFiles.ExtractTo(dir);
        await using var fleet = DemoFleet.Start(TimeProvider.System);
        foreach (var (name, value) in fleet.EnvironmentVariables())
        {
            // The demo config reads the fleet's ports through ${VIGIL_DEMO_*} expansion.
            Environment.SetEnvironmentVariable(name, value);
        }

        // The auto-restart runbook (the demo's automatic remediation) reads the token from here, not from the config.
        Environment.SetEnvironmentVariable("VIGIL_DEMO_TOKEN_FILE", Path.Combine(dir, "data", "admin.token"));
        var options = new ServerOptions
        {
            ConfigPath = configPath,
            DataDirectory = Path.Combine(dir, "data"),
            Listen = ctx.Parse.GetValue(ServeCommand.Listen) ?? "http://127.0.0.1:8080",
            Extend = b => b.AddDemoFleet(fleet),
            ExtendApi = api => api.MapDemoEndpoints(),
        };
        return await ServeCommand.RunAsync(ctx, options, (app, address, token) =>
        {
            Environment.SetEnvironmentVariable("VIGIL_DEMO_SERVER", address.ToString().TrimEnd('/'));
            ctx.Line();
            ctx.Line($"Console: {Vigil.Server.WebConsole.ConsoleSignIn.ConsoleUrl(address)}");
            var secret = token ?? ReadAdminToken(options.DataDirectory);
            if (secret is not null)
            {
                ctx.Line($"One-click sign-in (valid 10 minutes, as admin): {Vigil.Server.WebConsole.ConsoleSignIn.CreateLink(app, address, secret)}");
            }

            ctx.Line();
            ctx.Line("Demo fleet (loopback):");
            foreach (var t in fleet.Targets)
            {
                ctx.Line($"  {t.Name,-9} {t.Url,-24} {t.Description}");
            }

            ctx.Line();
            ctx.Line("In another terminal:");
            ctx.Line($"  export VIGIL_SERVER={address.ToString().TrimEnd('/')}");
            ctx.Line($"  export VIGIL_TOKEN={token ?? "$(cat " + Path.Combine(options.DataDirectory, "admin.token") + ")"}");
            ctx.Line("  vigil status");
            ctx.Line("  vigil demo fleet api failing --for 5m");
            ctx.Line($"Files: {dir} (removed on exit unless --data was given). Stop with Ctrl+C.");
        }, ct);
    }

    private static string? ReadAdminToken(string dataDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dataDirectory, "admin.token")).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Command BuildFleet(CliEnvironment env)
    {
        var name = new Argument<string?>("target") { Description = "Target to command (web, api, checkout, db)", Arity = ArgumentArity.ZeroOrOne };
        var mode = new Argument<string?>("mode")
        {
            Description = "healthy, slow, failing or down; or, with --slot, start (bring the slot up) or serve (switch the target's traffic to it)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var duration = new Option<string?>("--for") { Description = "How long the mode lasts (for example 5m); default until the next command" };
        var slot = new Option<string?>("--slot") { Description = "For a target with slots (web): the side to act on, blue or green; default the live one" };
        var fleet = new Command("fleet", "Show the running demo's fleet, or set a target's mode: vigil demo fleet api failing --for 5m; vigil demo fleet web serve --slot green")
        {
            name, mode, duration, slot,
        };
        fleet.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var target = ctx.Parse.GetValue(name);
            if (target is not null)
            {
                var m = ctx.Parse.GetValue(mode) ?? throw new CliException(ExitCodes.Usage, "Say which mode: healthy, slow, failing or down (or start/serve with --slot).");
                var s = ctx.Parse.GetValue(slot);
                var request = m.ToLowerInvariant() switch
                {
                    "start" or "serve" when s is null => throw new CliException(ExitCodes.Usage, $"'{m}' needs the slot: --slot blue or --slot green."),
                    "start" => new FleetCommandRequest(null, Start: s),
                    "serve" => new FleetCommandRequest(null, Serve: s),
                    _ => new FleetCommandRequest(m, ctx.Parse.GetValue(duration), s),
                };
                var view = await api.PostAsync<FleetTargetView>($"api/v1/demo/fleet/{Uri.EscapeDataString(target)}", request, ct);
                Render(ctx, [view]);
                return ExitCodes.Ok;
            }

            Render(ctx, await api.GetAsync<List<FleetTargetView>>("api/v1/demo/fleet", ct));
            return ExitCodes.Ok;
        });
        return fleet;
    }

    private static void Render(CliContext ctx, IReadOnlyList<FleetTargetView> targets)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(targets);
            return;
        }

        var table = new Table().AddColumns("TARGET", "URL", "MODE", "WHY", "SLOT");
        foreach (var t in targets)
        {
            var why = t.Commanded ? (t.CommandUntil is { } u ? $"commanded until {u:HH:mm:ss}" : "commanded") : t.Scripted ? "script" : "default";
            // A target with slots shows the live one and each side's mode: "blue (blue healthy, green down)".
            var slots = t.Slots is { } sides ? $"{t.Slot} ({string.Join(", ", sides.Select(x => $"{x.Name} {x.Mode.ToString().ToLowerInvariant()}"))})" : "";
            table.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Url), t.Mode.ToString().ToLowerInvariant(), why, Markup.Escape(slots));
        }

        ctx.Console.Write(table);
    }
}
