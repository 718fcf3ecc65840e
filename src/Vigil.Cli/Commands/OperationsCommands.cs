using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil freeze|unfreeze</c>, <c>vigil window create|list|cancel</c> and <c>vigil gate</c>.</summary>
internal static class OperationsCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        var service = new Option<string?>("--service") { Description = "Only this service (default: everything)" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit trail)" };
        var freezeReason = new Option<string>("--reason") { Description = "Why (shown to everyone the freeze stops)", Required = true };

        var freeze = new Command("freeze", "Freeze changes everywhere or on one service: runbooks refuse mutating steps, the gate refuses deploys.") { service, freezeReason };
        freeze.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var f = await api.PostAsync<FreezeView>("api/v1/freezes", new FreezeRequest(ctx.Parse.GetValue(service), ctx.Parse.GetValue(freezeReason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(f);
            }
            else
            {
                ctx.Line($"{(f.Service is null ? "Everything" : "Service " + f.Service)} is frozen: {f.Reason}");
            }

            return ExitCodes.Ok;
        });

        var unfreeze = new Command("unfreeze", "Lift the freeze on a service, or the global freeze.") { service, reason };
        unfreeze.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var lifted = await api.PostAsync<List<FreezeView>>("api/v1/freezes/lift", new FreezeRequest(ctx.Parse.GetValue(service), ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(lifted);
            }
            else
            {
                ctx.Line($"Lifted the freeze on {ctx.Parse.GetValue(service) ?? "everything"} ({lifted.Count} freeze(s)).");
            }

            return ExitCodes.Ok;
        });

        return [freeze, unfreeze, Window(env, reason), Silence(env), Gate(env)];
    }

    private static Command Window(CliEnvironment env, Option<string?> reason)
    {
        var window = new Command("window", "Maintenance windows: while one is active its services' signals do not page.");
        var services = new Option<string[]>("--service") { Description = "A service the window covers (repeat it; * for all)", Required = true, AllowMultipleArgumentsPerToken = false };
        var duration = new Option<string>("--duration") { Description = "How long (like 30m or 2h)", Required = true };
        var start = new Option<DateTimeOffset?>("--start") { Description = "When it starts (ISO 8601 with an offset; default now)" };
        var why = new Option<string>("--reason") { Description = "Why", Required = true };
        var blocks = new Option<bool>("--blocks-deploys") { Description = "Also make 'vigil gate' refuse deploys of these services meanwhile" };
        var create = new Command("create", "Create an ad-hoc maintenance window.") { services, duration, start, why, blocks };
        create.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var w = await api.PostAsync<WindowView>("api/v1/windows", new WindowRequest(ctx.Parse.GetValue(services), ctx.Parse.GetValue(duration),
                ctx.Parse.GetValue(start), ctx.Parse.GetValue(why), ctx.Parse.GetValue(blocks)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(w);
            }
            else
            {
                ctx.Line($"Window {w.Id} on {string.Join(", ", w.Services)} from {w.StartsAt:u} to {w.EndsAt:u}.");
            }

            return ExitCodes.Ok;
        });

        var list = new Command("list", "Maintenance windows active now or coming up.");
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var windows = await api.GetAsync<List<WindowView>>("api/v1/windows", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(windows);
                return ExitCodes.Ok;
            }

            if (windows.Count == 0)
            {
                ctx.Line("No maintenance windows active or coming up.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("WINDOW", "SERVICES", "FROM", "TO", "ACTIVE", "BLOCKS DEPLOYS", "REASON");
            foreach (var w in windows)
            {
                table.AddRow(Markup.Escape(w.Id), Markup.Escape(string.Join(", ", w.Services)), w.StartsAt.ToString("u", CultureInfo.InvariantCulture),
                    w.EndsAt.ToString("u", CultureInfo.InvariantCulture), w.Active ? "[yellow]yes[/]" : "no", w.BlocksDeploys ? "yes" : "no", Markup.Escape(w.Reason));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Window number (the n of #n in 'vigil window list')" };
        var cancel = new Command("cancel", "Cancel an ad-hoc maintenance window.") { id, reason };
        cancel.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var why2 = ctx.Parse.GetValue(reason);
            await api.DeleteNoContentAsync($"api/v1/windows/{ctx.Parse.GetValue(id)}" + (why2 is null ? "" : $"?reason={Uri.EscapeDataString(why2)}"), ct);
            ctx.Line($"Window #{ctx.Parse.GetValue(id)} is cancelled.");
            return ExitCodes.Ok;
        });

        window.Add(create);
        window.Add(list);
        window.Add(cancel);
        return window;
    }

    private static Command Silence(CliEnvironment env)
    {
        var silence = new Command("silence", "Silences: signals matching every matcher do not page until the silence ends.");
        var match = new Option<string[]>("--match") { Description = "label=value, label!=value, label=~regex or label!~regex (repeat it; service and check are labels; regexes match the whole value)", Required = true };
        var duration = new Option<string>("--duration") { Description = "How long (like 2h)", Required = true };
        var comment = new Option<string>("--comment") { Description = "Why", Required = true };
        var add = new Command("add", "Add a silence.") { match, duration, comment };
        add.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var s = await api.PostAsync<SilenceView>("api/v1/silences", new SilenceRequest(ctx.Parse.GetValue(match), ctx.Parse.GetValue(duration), ctx.Parse.GetValue(comment)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(s);
            }
            else
            {
                ctx.Line($"Silence #{s.Id} on {string.Join(", ", s.Matchers)} until {s.EndsAt:u}.");
            }

            return ExitCodes.Ok;
        });

        var list = new Command("list", "Silences in force.");
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var items = await api.GetAsync<List<SilenceView>>("api/v1/silences", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("#", "MATCHERS", "UNTIL", "BY", "COMMENT");
            foreach (var s in items)
            {
                table.AddRow(s.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", s.Matchers)), s.EndsAt.ToString("u", CultureInfo.InvariantCulture),
                    Markup.Escape(s.CreatedBy), Markup.Escape(s.Comment));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Silence number" };
        var expire = new Command("expire", "End a silence now; still-firing signals page on the next sweep.") { id };
        expire.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            await api.PostNoContentAsync($"api/v1/silences/{ctx.Parse.GetValue(id)}/expire", ct);
            ctx.Line($"Silence #{ctx.Parse.GetValue(id)} is expired.");
            return ExitCodes.Ok;
        });

        silence.Add(add);
        silence.Add(list);
        silence.Add(expire);
        return silence;
    }

    private static Command Gate(CliEnvironment env)
    {
        var service = new Option<string>("--service") { Description = "The service about to be deployed", Required = true };
        var gate = new Command("gate", "Exit 0 when a deploy of the service may proceed; exit 1 with every reason when it may not (for CI).") { service };
        gate.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var view = await api.GetAsync<GateView>($"api/v1/gate?service={Uri.EscapeDataString(ctx.Parse.GetValue(service)!)}", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(view);
            }
            else if (view.Allowed)
            {
                ctx.Line($"Deploy of {view.Service} may proceed.");
            }
            else
            {
                ctx.Line($"Deploy of {view.Service} is blocked:");
                foreach (var r in view.Reasons)
                {
                    ctx.Line($"  - [{r.Code}] {r.Message}");
                }
            }

            return view.Allowed ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return gate;
    }
}
