using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Core.Incidents;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil report [--since 30d] [--service S]</c>: incidents by severity, MTTA, MTTR, breaches, noisiest signals.</summary>
internal static class ReportCommand
{
    public static Command Build(CliEnvironment env)
    {
        var since = new Option<string>("--since") { Description = "Period (like 7d, 30d, 90d)", DefaultValueFactory = _ => "30d" };
        var service = new Option<string?>("--service") { Description = "Only this service" };
        var report = new Command("report", "Incident report: counts by severity, MTTA, MTTR, ack-target breaches, noisiest signals, SLO attainment.") { since, service };
        report.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var svc = ctx.Parse.GetValue(service);
            var r = await api.GetAsync<IncidentReport>($"api/v1/reports/incidents?since={Uri.EscapeDataString(ctx.Parse.GetValue(since)!)}" +
                (svc is null ? "" : $"&service={Uri.EscapeDataString(svc)}"), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(r);
                return ExitCodes.Ok;
            }

            var c = ctx.Console;
            c.MarkupLine($"[bold]Incidents {r.Since:u} – {r.Until:u}[/]{(r.Service is null ? "" : " for " + Markup.Escape(r.Service))}");
            c.MarkupLine($"{r.Incidents} incidents, {r.Open} open; MTTA {Seconds(r.MttaSeconds)}, MTTR {Seconds(r.MttrSeconds)}; {r.AckBreaches} ack-target breaches");
            var table = new Table().AddColumns("SEVERITY", "INCIDENTS", "ACKED", "RESOLVED", "MTTA", "MTTR", "BREACHES");
            foreach (var s in r.BySeverity)
            {
                table.AddRow(Markup.Escape(s.Severity), N(s.Incidents), N(s.Acknowledged), N(s.Resolved), Seconds(s.MttaSeconds), Seconds(s.MttrSeconds), N(s.AckBreaches));
            }

            c.Write(table);
            if (r.NoisiestSignals.Count > 0)
            {
                var noisy = new Table().Title("noisiest signals").AddColumns("KEY", "SOURCE", "SERVICE", "FIRED", "INCIDENTS", "SUMMARY");
                foreach (var n in r.NoisiestSignals)
                {
                    noisy.AddRow(Markup.Escape(n.DedupKey), n.Source, Markup.Escape(n.Service ?? "-"), n.Fired.ToString(CultureInfo.InvariantCulture), N(n.Incidents), Markup.Escape(n.Summary));
                }

                c.Write(noisy);
            }

            if (r.Slos.Count > 0)
            {
                var slos = new Table().Title("SLO attainment (each over its own window)").AddColumns("SERVICE", "SLO", "OBJECTIVE", "WINDOW", "ATTAINMENT", "BUDGET LEFT", "STATE");
                foreach (var s in r.Slos)
                {
                    var attained = s.Attainment is { } a ? Percent(a) : "-";
                    slos.AddRow(Markup.Escape(s.Service), Markup.Escape(s.Id), Percent(s.Objective), Markup.Escape(s.Window),
                        s.Attainment is null ? attained : s.Met ? $"[green]{attained}[/]" : $"[red]{attained}[/]",
                        s.BudgetRemaining is { } b ? Percent(b) : "-", Markup.Escape(s.State));
                }

                c.Write(slos);
            }

            return ExitCodes.Ok;
        });
        return report;
    }

    private static string Percent(double p) => p.ToString("0.###", CultureInfo.InvariantCulture) + "%";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double? s) => s is { } v ? Durations.Human(TimeSpan.FromSeconds(v)) : "-";
}
