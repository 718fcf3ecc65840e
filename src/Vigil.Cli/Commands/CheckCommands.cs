using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil check list|probe|pause|resume|history</c>.</summary>
internal static class CheckCommands
{
    public static Command Build(CliEnvironment env)
    {
        var check = new Command("check", "List, probe, pause and resume checks; show their history.");
        var service = new Option<string?>("--service") { Description = "Only this service's checks" };

        var list = new Command("list", "Every check with its state, since when and last result.") { service };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var s = ctx.Parse.GetValue(service);
            var checks = await api.GetAsync<List<CheckView>>("api/v1/checks" + (s is null ? "" : $"?service={Uri.EscapeDataString(s)}"), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(checks);
                return ExitCodes.Ok;
            }

            ctx.Console.Write(Table(checks));
            return ExitCodes.Ok;
        });

        var target = new Argument<string?>("target") { Description = "SERVICE or SERVICE/CHECK (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var probe = new Command("probe", "Run checks now and print the results (state is not changed). Exit 1 if any is not ok.") { target };
        probe.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var t = ctx.Parse.GetValue(target);
            var results = await ctx.Console.Status().StartAsync($"Probing {t ?? "all checks"}…", _ =>
                api.PostAsync<List<ProbeResultView>>("api/v1/checks/probe" + (t is null ? "" : $"?target={Uri.EscapeDataString(t)}"), null, ct));
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(results);
            }
            else
            {
                var table = new Table().AddColumns("CHECK", "STATE", "REASON", "LATENCY", "RESULT");
                foreach (var r in results)
                {
                    table.AddRow(Markup.Escape(r.Key), State(r.State), Markup.Escape(r.Reason ?? "-"), $"{r.LatencyMs} ms", Markup.Escape(r.Message ?? ""));
                }

                ctx.Console.Write(table);
            }

            return results.All(r => r.State == "ok") ? ExitCodes.Ok : ExitCodes.Failed;
        });

        var key = new Argument<string>("check") { Description = "SERVICE/CHECK" };
        var reason = new Option<string?>("--reason") { Description = "Why (required to pause; recorded in the audit trail)" };
        check.Add(list);
        check.Add(probe);
        check.Add(PauseResume(env, "pause", "Stop probing a check and never alert on it until resumed.", key, reason));
        check.Add(PauseResume(env, "resume", "Resume a paused check.", key, reason));

        var since = new Option<string>("--since") { Description = "How far back (for example 1h, 24h, 7d)", DefaultValueFactory = _ => "24h" };
        var history = new Command("history", "State changes and hourly rollups of a check.") { key, since };
        history.SetHandler(env, async (ctx, ct) =>
        {
            var (svc, chk) = Split(ctx.Parse.GetValue(key)!);
            using var api = ctx.Api();
            var view = await api.GetAsync<CheckHistoryView>($"api/v1/checks/{svc}/{chk}/history?since={Uri.EscapeDataString(ctx.Parse.GetValue(since)!)}", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(view);
                return ExitCodes.Ok;
            }

            ctx.Console.MarkupLine($"[bold]{Markup.Escape(view.Key)}[/] since {view.Since:u}");
            var changes = new Table().Title("state changes").AddColumns("AT", "FROM", "TO", "REASON", "MESSAGE");
            foreach (var c in view.Changes)
            {
                changes.AddRow(c.At.ToString("u", CultureInfo.InvariantCulture), State(c.From), State(c.To) + (c.Flapping ? " (flapping)" : ""),
                    Markup.Escape(c.Reason ?? "-"), Markup.Escape(c.Message ?? ""));
            }

            ctx.Console.Write(changes);
            var hours = new Table().Title("hourly rollups").AddColumns("HOUR", "PROBES", "FAILED", "REASONS", "MIN", "AVG", "P95", "MAX");
            foreach (var h in view.Hours)
            {
                hours.AddRow(h.Hour.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture), h.Count.ToString(CultureInfo.InvariantCulture),
                    h.Failures.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", h.FailuresByReason.Select(kv => $"{kv.Key} {kv.Value}"))),
                    $"{h.MinLatencyMs}", $"{h.AvgLatencyMs}", $"{h.P95LatencyMs}", $"{h.MaxLatencyMs} ms");
            }

            ctx.Console.Write(hours);
            return ExitCodes.Ok;
        });
        check.Add(history);
        return check;
    }

    internal static Table Table(IEnumerable<CheckView> checks)
    {
        var table = new Table().AddColumns("CHECK", "KIND", "STATE", "REASON", "SINCE", "LAST", "LATENCY", "RESULT");
        foreach (var c in checks)
        {
            var state = State(c.State) + (c.Pending is { } p ? $" [grey]({Left(p.SecondsLeft)} left, {p.Failures}/{p.FailAfter} → {p.Toward})[/]" : "")
                + (c.Flapping ? " [yellow](flapping)[/]" : "");
            var result = c.State == "paused" ? $"paused by {c.PausedBy}: {c.PausedReason}" : c.LastMessage ?? "";
            table.AddRow(Markup.Escape(c.Key), c.Kind, state, Markup.Escape(c.Reason ?? "-"), CliContext.Ago(c.Since),
                CliContext.Ago(c.LastResultAt), c.LastLatencyMs is { } l ? $"{l} ms" : "-", Markup.Escape(result));
        }

        return table;
    }

    internal static string State(string state) => state switch
    {
        "ok" => "[green]ok[/]",
        "warning" => "[yellow]warning[/]",
        "critical" => "[red]critical[/]",
        "paused" => "[grey]paused[/]",
        "pending" => "[yellow]pending[/]",
        _ => Markup.Escape(state),
    };

    /// <summary>Seconds as "45s", "4m05s" or "2h10m": the time left of a pending check.</summary>
    internal static string Left(long seconds) => seconds switch
    {
        < 60 => $"{Math.Max(0, seconds)}s",
        < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
        _ => $"{seconds / 3600}h{seconds % 3600 / 60:00}m",
    };

    private static Command PauseResume(CliEnvironment env, string verb, string description, Argument<string> key, Option<string?> reason)
    {
        var command = new Command(verb, description) { key, reason };
        command.SetHandler(env, async (ctx, ct) =>
        {
            var (svc, chk) = Split(ctx.Parse.GetValue(key)!);
            using var api = ctx.Api();
            var view = await api.PostAsync<CheckView>($"api/v1/checks/{svc}/{chk}/{verb}", new PauseRequest(ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(view);
            }
            else
            {
                ctx.Line($"{view.Key} is {view.State}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string Service, string Check) Split(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new CliException(ExitCodes.Usage, $"'{key}' is not SERVICE/CHECK, for example edge-api/health.");
        }

        return (Uri.EscapeDataString(parts[0]), Uri.EscapeDataString(parts[1]));
    }
}
