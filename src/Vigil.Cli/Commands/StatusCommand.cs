using System.CommandLine;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil status</c>: the unified summary, like <c>kubectl get all</c>.</summary>
internal static class StatusCommand
{
    public static Command Build(CliEnvironment env)
    {
        var service = new Option<string?>("--service") { Description = "Only this service" };
        var status = new Command("status", "Show version, config, store, uptime, who is on call, maintenance windows and silences in force, and one line per service.") { service };
        status.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var view = await api.GetAsync<StatusView>("api/v1/status", ct);
            var only = ctx.Parse.GetValue(service);
            if (only is not null)
            {
                var match = view.Services.Where(s => string.Equals(s.Id, only, StringComparison.OrdinalIgnoreCase)).ToList();
                if (match.Count == 0)
                {
                    throw new CliException(ExitCodes.Usage, $"No service '{only}'. Services: {string.Join(", ", view.Services.Select(s => s.Id))}.");
                }

                view = view with { Services = match, Backups = view.Backups?.Where(b => string.Equals(b.Service, only, StringComparison.OrdinalIgnoreCase)).ToList() };
            }

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(view);
                return ExitCodes.Ok;
            }

            var c = ctx.Console;
            c.MarkupLine($"[bold]{Markup.Escape(view.Name)}[/] ({Markup.Escape(view.Environment)}) — Vigil {Markup.Escape(view.Version)}, up {Uptime(view.UptimeSeconds)}");
            c.MarkupLine($"config  {Markup.Escape(view.ConfigPath)}  {Markup.Escape(view.ConfigDigest)}");
            if (view.LastReloadFailure is { } f)
            {
                c.MarkupLine($"[red]config reload rejected at {f.At:u}; the last good config stays in force:[/]");
                foreach (var e in f.Errors)
                {
                    c.MarkupLine($"  [red]{Markup.Escape(e)}[/]");
                }
            }

            c.MarkupLine($"store   {Markup.Escape(view.Store)} (schema {view.SchemaVersion})");
            var loops = view.Loops ?? [];
            var failing = loops.Where(l => !l.Ok).ToList();
            c.MarkupLine(failing.Count == 0
                ? $"loops   [green]{loops.Count} ok[/]{(loops.Count == 0 ? "" : $" ({Markup.Escape(string.Join(", ", loops.Select(l => l.Name)))})")}"
                : $"loops   [red bold]{failing.Count} failing[/], {loops.Count - failing.Count} ok");
            foreach (var l in failing)
            {
                c.MarkupLine($"  [red]{Markup.Escape(l.Name)}: {l.ConsecutiveFailures} failures in a row, last {CliContext.Ago(l.LastFailureAt)}: {Markup.Escape(l.LastError ?? "")}[/]");
            }

            foreach (var freeze in view.Freezes ?? [])
            {
                c.MarkupLine($"[black on yellow] FROZEN [/] {Markup.Escape(freeze.Service ?? "everything")} since {freeze.CreatedAt:u} by {Markup.Escape(freeze.CreatedBy)}: {Markup.Escape(freeze.Reason)}");
            }

            QuietAndOnCall(c, view);

            var table = new Table().AddColumns("SERVICE", "NAME", "OWNER", "CHECKS", "STATE", "WORST CHECK", "SINCE");
            foreach (var s in view.Services)
            {
                var worst = s.WorstCheck is null || s.State == "ok" ? "-" : s.WorstCheck + (s.Reason is null ? "" : $" ({s.Reason})");
                table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.Name), Markup.Escape(s.Owner ?? "-"), s.Checks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CheckCommands.State(s.State), Markup.Escape(worst), CliContext.Ago(s.Since));
            }

            c.Write(table);
            Backups(c, view, only);
            if (view.Incidents is { } inc)
            {
                var open = only is null ? inc.Open : inc.Open.Where(i => string.Equals(i.Service, only, StringComparison.OrdinalIgnoreCase)).ToList();
                if (open.Count == 0)
                {
                    c.MarkupLine("[green]No open incidents.[/]");
                }
                else
                {
                    var counts = open.GroupBy(i => i.Severity).Select(g => $"{g.Count()} {g.Key}");
                    c.MarkupLine($"[red bold]{open.Count} open incident(s):[/] {Markup.Escape(string.Join(", ", counts))}");
                    c.Write(IncidentCommands.Table(open));
                }

                if (only is null && inc.OpenActions.Count > 0)
                {
                    c.MarkupLine($"{inc.OpenActions.Count} open action item(s):");
                    c.Write(IncidentCommands.ActionTable(inc.OpenActions));
                }
            }

            if (only is not null)
            {
                var checks = await api.GetAsync<List<CheckView>>($"api/v1/checks?service={Uri.EscapeDataString(only)}", ct);
                c.Write(CheckCommands.Table(checks));
            }

            return ExitCodes.Ok;
        });
        return status;
    }

    /// <summary>Backup health per service: the newest verified backup's age against the rpo, and the last failure.</summary>
    private static void Backups(IAnsiConsole c, StatusView view, string? only)
    {
        var rows = (view.Backups ?? []).Where(b => only is null || string.Equals(b.Service, only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("BACKUPS OF", "JOBS", "NEWEST VERIFIED", "RPO", "HEALTH", "LAST FAILURE");
        foreach (var b in rows)
        {
            // The age as the server measures it (its clock), not this machine's.
            var age = b.NewestVerifiedAgeSeconds is { } seconds ? Duration(Math.Max(0, seconds), whole: false) + " ago" : "[yellow]none[/]";
            var rpo = b.RpoSeconds is { } r ? Duration(r) + (b.WithinRpo == false ? " [red](breached)[/]" : "") : "-";
            table.AddRow(Markup.Escape(b.Service), Markup.Escape(string.Join(", ", b.Jobs)), age, rpo, b.Healthy ? "[green]ok[/]" : "[red bold]failing[/]",
                Markup.Escape(b.LastFailure ?? "-"));
        }

        c.Write(table);
    }

    /// <summary>An rpo as configured (<c>1h</c>, <c>30m</c>, <c>1d</c>), or, not <paramref name="whole"/>, an age in its largest unit (<c>2h</c>, <c>45s</c>).</summary>
    private static string Duration(double seconds, bool whole = true)
    {
        var t = TimeSpan.FromSeconds(seconds);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return t.TotalDays >= 1 && (!whole || t.TotalDays % 1 == 0) ? Math.Floor(t.TotalDays).ToString("0", inv) + "d"
            : t.TotalHours >= 1 && (!whole || t.TotalHours % 1 == 0) ? Math.Floor(t.TotalHours).ToString("0", inv) + "h"
            : t.TotalMinutes >= 1 && (!whole || t.TotalMinutes % 1 == 0) ? Math.Floor(t.TotalMinutes).ToString("0", inv) + "m"
            : Math.Floor(t.TotalSeconds).ToString("0", inv) + "s";
    }

    /// <summary>Who is on call now, and the maintenance windows and silences in force (they hold pages), one line each.</summary>
    private static void QuietAndOnCall(IAnsiConsole c, StatusView view)
    {
        foreach (var o in view.OnCall ?? [])
        {
            var who = o.Person is null ? "[yellow]nobody[/]" : $"[bold]{Markup.Escape(o.PersonName ?? o.Person)}[/]" + (o.PersonName is null || o.PersonName == o.Person ? "" : $" ({Markup.Escape(o.Person)})");
            c.MarkupLine($"on call {Markup.Escape(o.Schedule)}: {who}" + (o.Until is { } until ? $" until {Time(until)}" : "") + (o.Source is null ? "" : $" [dim]via {Markup.Escape(o.Source)}[/]"));
        }

        var windows = view.Windows ?? [];
        var silences = view.Silences ?? [];
        if (windows.Count == 0 && silences.Count == 0)
        {
            c.MarkupLine("quiet   no maintenance windows or silences in force");
        }

        foreach (var w in windows)
        {
            c.MarkupLine($"[black on blue] MAINTENANCE [/] {Markup.Escape(w.Id)} on {Markup.Escape(string.Join(", ", w.Services))} until {Time(w.EndsAt)}"
                + (w.CreatedBy is null ? "" : $" by {Markup.Escape(w.CreatedBy)}") + $": {Markup.Escape(w.Reason)}" + (w.BlocksDeploys ? " [yellow](blocks deploys)[/]" : ""));
        }

        foreach (var s in silences)
        {
            c.MarkupLine($"[black on grey] SILENCED [/] #{s.Id} {Markup.Escape(string.Join(", ", s.Matchers))} until {Time(s.EndsAt)} by {Markup.Escape(s.CreatedBy)}: {Markup.Escape(s.Comment)}");
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Uptime(long seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours}h" : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m" : $"{t.Minutes}m{t.Seconds}s";
    }
}
