using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Core.Incidents;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil slo list|show|rules</c>: SLOs, their error budgets and burn rates as the server last evaluated them, and Prometheus rules (docs/slos.md).</summary>
internal static class SloCommands
{
    public static Command Build(CliEnvironment env)
    {
        var slo = new Command("slo", "Service level objectives: attainment, error budgets, burn rates, alert state, Prometheus rules (docs/slos.md).");

        var service = new Option<string?>("--service") { Description = "Only this service's SLOs" };
        var list = new Command("list", "List SLOs: objective, attainment, budget left, burn rates over 1h/6h/1d/3d, state.") { service };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var svc = ctx.Parse.GetValue(service);
            var items = await api.GetAsync<List<SloView>>("api/v1/slos" + (svc is null ? "" : "?service=" + Uri.EscapeDataString(svc)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            if (items.Count == 0)
            {
                ctx.Line(svc is null ? "No SLOs configured (services[].slos in the config; see docs/slos.md)." : $"Service {svc} has no SLOs.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("SERVICE", "ID", "OBJECTIVE", "WINDOW", "ATTAINMENT", "BUDGET LEFT", "BURN 1h", "BURN 6h", "BURN 1d", "BURN 3d", "STATE");
            foreach (var s in items)
            {
                table.AddRow(Markup.Escape(s.Service), Markup.Escape(s.Id), Percent(s.ObjectivePercent), Markup.Escape(s.Window), Percent(s.AttainmentPercent),
                    Percent(s.BudgetRemainingPercent), Burn(s, "1h"), Burn(s, "6h"), Burn(s, "1d"), Burn(s, "3d"), State(s));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var idArg = new Argument<string>("id") { Description = "SLO id (see vigil slo list)" };
        var show = new Command("show", "One SLO: budget, burn rates, alerts, the exhaustion projection and attainment per day over its window.") { idArg };
        show.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var d = await api.GetAsync<SloDetailView>("api/v1/slos/" + Uri.EscapeDataString(ctx.Parse.GetValue(idArg)!), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(d);
                return ExitCodes.Ok;
            }

            var s = d.Slo;
            var c = ctx.Console;
            c.MarkupLine($"[bold]SLO {Markup.Escape(s.Id)}[/] of {Markup.Escape(s.Service)}: {Percent(s.ObjectivePercent)} {s.Sli} over {Markup.Escape(s.Window)}"
                + (s.Description is null ? "" : $" ({Markup.Escape(s.Description)})"));
            c.MarkupLine($"state {State(s)}{(s.FiringAlert is null ? "" : $" (alert {Markup.Escape(s.FiringAlert)} at {Markup.Escape(s.Severity ?? "-")})")}, evaluated {s.At.ToString("u", CultureInfo.InvariantCulture)}");
            if (s.Note is not null)
            {
                c.MarkupLine(Markup.Escape(s.Note));
                return ExitCodes.Ok;
            }

            c.MarkupLine($"attainment {Percent(s.AttainmentPercent)} ({N(s.GoodEvents)} good of {N(s.TotalEvents)} probes since {s.WindowStart.ToString("u", CultureInfo.InvariantCulture)})");
            c.MarkupLine($"error budget: {Percent(s.BudgetConsumedPercent)} used, {Percent(s.BudgetRemainingPercent)} left");
            c.MarkupLine(Markup.Escape(Projection(s)));
            c.MarkupLine("burn rates: " + string.Join(", ", s.BurnRates.Select(b => $"{b.Window} {Rate(b.Rate)}")));
            if (s.Alerts.Count > 0)
            {
                var alerts = new Table().Title("burn-rate alerts").AddColumns("ALERT", "ACTION", "LONG", "SHORT", "FIRING");
                foreach (var a in s.Alerts)
                {
                    alerts.AddRow(Markup.Escape(a.Name), a.Action, $"{Rate(a.LongRate)} over {a.LongWindow}", $"{Rate(a.ShortRate)} over {a.ShortWindow}", a.Firing ? "[red]yes[/]" : "no");
                }

                c.Write(alerts);
            }

            var history = new Table().Title("attainment per day (UTC)").AddColumns("DAY", "FROM", "TO", "ATTAINMENT", "GOOD", "PROBES");
            foreach (var day in d.History)
            {
                history.AddRow(day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.From.ToString("HH:mm", CultureInfo.InvariantCulture),
                    day.To.TimeOfDay == TimeSpan.Zero ? "24:00" : day.To.ToString("HH:mm", CultureInfo.InvariantCulture),
                    Colored(day.AttainmentPercent, s.ObjectivePercent), N(day.GoodEvents), N(day.TotalEvents));
            }

            c.Write(history);
            return ExitCodes.Ok;
        });

        slo.Add(list);
        slo.Add(show);
        slo.Add(SloRulesCommand.Build(env));
        return slo;
    }

    /// <summary>"At 14.4x, the budget runs out in 2d 1h (2026-03-04 01:00 UTC)", or why there is no projection.</summary>
    internal static string Projection(SloView s) =>
        s.ExhaustedAt is { } at && s.TimeLeftSeconds is { } left
            ? $"at the current burn rate ({Rate(s.ProjectionBurnRate ?? 0)}) the budget runs out in {Durations.Human(TimeSpan.FromSeconds(left))}, at {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
            : s.BudgetRemainingPercent is <= 0 ? "the error budget is exhausted"
            : s.ProjectionBurnRate is null or 0 ? "no exhaustion projected: the budget is not burning"
            : $"no exhaustion projected within the window at the current burn rate ({Rate(s.ProjectionBurnRate.Value)})";

    private static string Burn(SloView s, string window) => s.BurnRates.FirstOrDefault(b => b.Window == window) is { } b ? Rate(b.Rate) : "-";

    private static string Rate(double r) => r.ToString("0.##", CultureInfo.InvariantCulture) + "x";

    private static string Percent(double? p) => p is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) + "%" : "-";

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Colored(double? attainment, double objective) =>
        attainment is not { } a ? "-" : a >= objective ? $"[green]{Percent(a)}[/]" : $"[red]{Percent(a)}[/]";

    private static string State(SloView s) => s.State switch
    {
        "page" => "[red]page[/]",
        "ticket" or "exhausted" => $"[yellow]{s.State}[/]",
        "ok" => "[green]ok[/]",
        _ => Markup.Escape(s.State),
    };
}
