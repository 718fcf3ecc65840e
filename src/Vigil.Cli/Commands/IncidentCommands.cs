using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil incident list|show|open|ack|note|update|mitigate|resolve|close|assign|checklist|pir|action</c>.</summary>
internal static class IncidentCommands
{
    public static Command Build(CliEnvironment env)
    {
        var incident = new Command("incident", "List, open and work incidents; write the post-incident review.");
        var id = new Argument<long>("id") { Description = "Incident number (see 'vigil incident list')" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded on the timeline and in the audit trail)" };

        var open = new Option<bool>("--open") { Description = "Only open incidents (triggered, acknowledged, mitigated)" };
        var severity = new Option<string?>("--severity") { Description = "Only this severity (like P1)" };
        var service = new Option<string?>("--service") { Description = "Only this service" };
        var limit = new Option<int>("--limit") { Description = "At most this many (1–1000)", DefaultValueFactory = _ => 100 };
        var list = new Command("list", "Incidents, newest first.") { open, severity, service, limit };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var query = new List<string> { $"limit={ctx.Parse.GetValue(limit)}" };
            if (ctx.Parse.GetValue(open))
            {
                query.Add("open=true");
            }

            AddQuery(query, "severity", ctx.Parse.GetValue(severity));
            AddQuery(query, "service", ctx.Parse.GetValue(service));
            var items = await api.GetAsync<List<IncidentView>>("api/v1/incidents?" + string.Join('&', query), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            if (items.Count == 0)
            {
                ctx.Line("No incidents match.");
                return ExitCodes.Ok;
            }

            ctx.Console.Write(Table(items));
            return ExitCodes.Ok;
        });
        incident.Add(list);

        var show = new Command("show", "One incident with its signals, timeline, checklist and action items.") { id };
        show.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.GetAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}", ct);
            Write(ctx, detail);
            return ExitCodes.Ok;
        });
        incident.Add(show);

        var title = new Option<string>("--title") { Description = "What is wrong, in a line", Required = true };
        var openSeverity = new Option<string?>("--severity") { Description = "Severity id (default: the least severe level)" };
        var openService = new Option<string?>("--service") { Description = "The affected service" };
        var summary = new Option<string?>("--summary") { Description = "More detail for the timeline" };
        var openCmd = new Command("open", "Open an incident by hand.") { title, openSeverity, openService, summary };
        openCmd.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>("api/v1/incidents",
                new OpenIncidentRequest(ctx.Parse.GetValue(title), ctx.Parse.GetValue(openSeverity), ctx.Parse.GetValue(openService), ctx.Parse.GetValue(summary)), ct);
            Done(ctx, detail, $"Opened incident #{detail.Incident.Id} ({detail.Incident.Severity}).");
            return ExitCodes.Ok;
        });
        incident.Add(openCmd);

        foreach (var (name, path, help, verb) in new[]
        {
            ("ack", "ack", "Acknowledge: you are on it (stops the ack-target clock).", "acknowledged"),
            ("mitigate", "mitigate", "The impact is stopped, the cause may not be fixed yet.", "mitigated"),
            ("resolve", "resolve", "The problem is fixed.", "resolved"),
            ("close", "close", "Close a resolved incident (severities with require_pir need the PIR first).", "closed"),
        })
        {
            var cmd = new Command(name, help) { id, reason };
            var force = new Option<bool>("--force") { Description = "Resolve although signals are still firing; a check still failing re-triggers the incident" };
            if (name == "resolve")
            {
                cmd.Add(force);
            }

            cmd.SetHandler(env, async (ctx, ct) =>
            {
                using var api = ctx.Api();
                var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/{path}",
                    new IncidentActionRequest(ctx.Parse.GetValue(reason), name == "resolve" && ctx.Parse.GetValue(force)), ct);
                Done(ctx, detail, $"Incident #{detail.Incident.Id} is {verb}.");
                return ExitCodes.Ok;
            });
            incident.Add(cmd);
        }

        var text = new Argument<string>("text") { Description = "The note" };
        var note = new Command("note", "Add a note to the timeline.") { id, text };
        note.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/notes", new NoteRequest(ctx.Parse.GetValue(text)), ct);
            Done(ctx, detail, $"Noted on incident #{detail.Incident.Id}.");
            return ExitCodes.Ok;
        });
        incident.Add(note);

        var publicText = new Option<string>("--public") { Description = "The update for the public status page (plain text)", Required = true };
        var update = new Command("update", "Post a public update: it shows on the status page, its JSON and feed.") { id, publicText };
        update.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/public-updates",
                new PublicUpdateRequest(ctx.Parse.GetValue(publicText)), ct);
            Done(ctx, detail, $"Posted a public update on incident #{detail.Incident.Id}; it shows on the status page.");
            return ExitCodes.Ok;
        });
        incident.Add(update);

        var role = new Option<string>("--role") { Description = "commander, scribe or assignee", Required = true };
        var to = new Option<string?>("--to") { Description = "Person id or name (leave out to clear the role)" };
        var assign = new Command("assign", "Set the commander, scribe or assignee.") { id, role, to };
        assign.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/assign",
                new AssignRequest(ctx.Parse.GetValue(role), ctx.Parse.GetValue(to)), ct);
            Done(ctx, detail, $"Incident #{detail.Incident.Id}: commander {detail.Incident.Commander ?? "-"}, scribe {detail.Incident.Scribe ?? "-"}, assignee {detail.Incident.Assignee ?? "-"}.");
            return ExitCodes.Ok;
        });
        incident.Add(assign);

        var item = new Argument<int?>("item") { Description = "Item number to tick (leave out to list the checklist)", Arity = ArgumentArity.ZeroOrOne };
        var undo = new Option<bool>("--undo") { Description = "Untick instead" };
        var checklist = new Command("checklist", "Show the incident's checklist, or tick an item.") { id, item, undo };
        checklist.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var n = ctx.Parse.GetValue(item);
            var detail = n is { } number
                ? await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/checklist/{number}", new ChecklistTickRequest(!ctx.Parse.GetValue(undo)), ct)
                : await api.GetAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(detail.Checklist);
            }
            else if (detail.Checklist.Count == 0)
            {
                ctx.Line($"Incident #{detail.Incident.Id} has no checklist (severity {detail.Incident.Severity} names none).");
            }
            else
            {
                ctx.Console.Write(ChecklistTable(detail.Checklist));
            }

            return ExitCodes.Ok;
        });
        incident.Add(checklist);

        // --file, not -o: -o is the output format everywhere.
        var output = new Option<string?>("--file") { Description = "Write the Markdown to this file instead of standard output" };
        var preview = new Option<bool>("--preview") { Description = "Render without recording the review as written" };
        var pir = new Command("pir", "Write the post-incident review (Markdown) from the timeline.") { id, output, preview };
        pir.SetHandler(env, async (ctx, ct) =>
        {
            if (ctx.Format == OutputFormat.Json)
            {
                throw new CliException(ExitCodes.Usage, "The post-incident review is Markdown, not JSON: drop -o json (write it to a file with --file FILE).");
            }

            using var api = ctx.Api();
            var path = $"api/v1/incidents/{ctx.Parse.GetValue(id)}/pir";
            var markdown = await api.SendTextAsync(ctx.Parse.GetValue(preview) ? HttpMethod.Get : HttpMethod.Post, path, ct);
            if (ctx.Parse.GetValue(output) is { } file)
            {
                var full = ctx.Env.Resolve(file);
                try
                {
                    await File.WriteAllTextAsync(full, markdown, ct);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliException(ExitCodes.Failed, $"Cannot write {full}: {ex.Message}");
                }

                ctx.Line($"Wrote the post-incident review of incident #{ctx.Parse.GetValue(id)} to {full}.");
            }
            else
            {
                ctx.Env.Out.Write(markdown);
            }

            return ExitCodes.Ok;
        });
        incident.Add(pir);
        incident.Add(ActionCommands(env, id));
        return incident;
    }

    private static Command ActionCommands(CliEnvironment env, Argument<long> id)
    {
        var action = new Command("action", "Post-incident action items.");
        var text = new Argument<string>("text") { Description = "What must be done" };
        var owner = new Option<string?>("--owner") { Description = "Who will do it" };
        var add = new Command("add", "Add an action item to an incident.") { id, text, owner };
        add.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/actions",
                new ActionItemRequest(ctx.Parse.GetValue(text), ctx.Parse.GetValue(owner)), ct);
            Done(ctx, detail, $"Added action item #{detail.Actions[^1].Id} to incident #{detail.Incident.Id}.");
            return ExitCodes.Ok;
        });

        var actionId = new Argument<long>("action") { Description = "Action item number" };
        var done = new Command("done", "Mark an action item done.") { id, actionId };
        done.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var detail = await api.PostAsync<IncidentDetailView>($"api/v1/incidents/{ctx.Parse.GetValue(id)}/actions/{ctx.Parse.GetValue(actionId)}/done", null, ct);
            Done(ctx, detail, $"Action item #{ctx.Parse.GetValue(actionId)} is done.");
            return ExitCodes.Ok;
        });

        var all = new Option<bool>("--all") { Description = "Include done items" };
        var list = new Command("list", "Action items of all incidents (open ones unless --all).") { all };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var items = await api.GetAsync<List<ActionItemView>>($"api/v1/actions?open={(!ctx.Parse.GetValue(all)).ToString().ToLowerInvariant()}", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
            }
            else if (items.Count == 0)
            {
                ctx.Line("No action items.");
            }
            else
            {
                ctx.Console.Write(ActionTable(items));
            }

            return ExitCodes.Ok;
        });

        action.Add(add);
        action.Add(done);
        action.Add(list);
        return action;
    }

    private static void AddQuery(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }

    private static void Done(CliContext ctx, IncidentDetailView detail, string message)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(detail);
        }
        else
        {
            ctx.Line(message);
        }
    }

    private static void Write(CliContext ctx, IncidentDetailView d)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(d);
            return;
        }

        var i = d.Incident;
        var c = ctx.Console;
        c.MarkupLine($"[bold]#{i.Id} {Markup.Escape(i.Title)}[/]");
        c.MarkupLine($"{Severity(i.Severity)}  {Status(i.Status)}  service {Markup.Escape(i.Service ?? "-")}  opened {i.OpenedAt:u} by {Markup.Escape(i.OpenedBy)}");
        c.MarkupLine($"commander {Markup.Escape(i.Commander ?? "-")}  scribe {Markup.Escape(i.Scribe ?? "-")}  assignee {Markup.Escape(i.Assignee ?? "-")}");
        if (i.AckDueAt is { } due && i.AcknowledgedAt is null)
        {
            c.MarkupLine(i.AckBreachedAt is null ? $"ack target: {due:u}" : $"[red]ack target breached at {i.AckBreachedAt:u}[/]");
        }

        if (d.Signals.Count > 0)
        {
            var signals = new Table().Title("signals").AddColumns("KEY", "SOURCE", "STATUS", "SEVERITY", "FIRED", "LAST", "SUMMARY");
            foreach (var s in d.Signals)
            {
                signals.AddRow(Markup.Escape(s.DedupKey), s.Source, s.Status + (s.InhibitedReason is null ? "" : " [yellow](inhibited)[/]"), s.Severity,
                    s.FireCount.ToString(CultureInfo.InvariantCulture), CliContext.Ago(s.LastAt), Markup.Escape(s.InhibitedReason is null ? s.Summary : $"{s.Summary} — {s.InhibitedReason}"));
            }

            c.Write(signals);
        }

        var timeline = new Table().Title("timeline").AddColumns("AT (UTC)", "WHAT", "WHO", "DETAILS");
        foreach (var t in d.Timeline)
        {
            timeline.AddRow(t.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), t.Kind, Markup.Escape(t.Actor), Markup.Escape(t.Text));
        }

        c.Write(timeline);
        if (d.Checklist.Count > 0)
        {
            c.Write(ChecklistTable(d.Checklist));
        }

        if (d.Actions.Count > 0)
        {
            c.Write(ActionTable(d.Actions));
        }

        if (d.Notifications is { Count: > 0 } notifications)
        {
            c.Write(PagingCommands.NotificationTable(notifications));
        }

        foreach (var r in d.Runs ?? [])
        {
            c.MarkupLine($"run #{r.Id} {Markup.Escape(r.Runbook)} › {Markup.Escape(r.Procedure)}: {RunbookCommands.Status(r.Status)} (by {Markup.Escape(r.RequestedBy)}; vigil runbook log {r.Id})");
        }

        if (d.Runbooks is { Count: > 0 } runbooks)
        {
            c.MarkupLine($"[bold]Runbooks for {Markup.Escape(d.Incident.Service ?? "")}:[/]");
            foreach (var r in runbooks)
            {
                c.MarkupLine($"  {Markup.Escape(r.Id)} — {Markup.Escape(r.Title)}  [grey](vigil runbook show {Markup.Escape(r.Id)}; vigil runbook run {Markup.Escape(r.Id)} --incident {d.Incident.Id})[/]");
            }
        }
    }

    public static Table Table(IReadOnlyList<IncidentView> items)
    {
        var table = new Table().AddColumns("#", "SEVERITY", "STATUS", "SERVICE", "TITLE", "OPENED", "OWNER");
        foreach (var i in items)
        {
            table.AddRow(i.Id.ToString(CultureInfo.InvariantCulture), Severity(i.Severity), Status(i.Status) + (i.AckBreachedAt is null ? "" : " [red]![/]"),
                Markup.Escape(i.Service ?? "-"), Markup.Escape(i.Title), CliContext.Ago(i.OpenedAt), Markup.Escape(i.Commander ?? i.Assignee ?? "-"));
        }

        return table;
    }

    public static Table ActionTable(IReadOnlyList<ActionItemView> items)
    {
        var table = new Table().Title("action items").AddColumns("#", "INCIDENT", "DONE", "OWNER", "TEXT");
        foreach (var a in items)
        {
            table.AddRow(a.Id.ToString(CultureInfo.InvariantCulture), "#" + a.IncidentId.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(a.DoneAt is null ? "[ ]" : "[x]"), Markup.Escape(a.Owner ?? "-"), Markup.Escape(a.Text));
        }

        return table;
    }

    private static Table ChecklistTable(IReadOnlyList<ChecklistItemView> items)
    {
        var table = new Table().Title("checklist").AddColumns("#", "DONE", "ITEM", "BY");
        foreach (var c in items)
        {
            table.AddRow(c.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.DoneAt is null ? "[ ]" : "[x]"), Markup.Escape(c.Text), Markup.Escape(c.DoneBy ?? ""));
        }

        return table;
    }

    private static string Status(string status) => status switch
    {
        "triggered" => "[red]triggered[/]",
        "acknowledged" => "[yellow]acknowledged[/]",
        "mitigated" => "[blue]mitigated[/]",
        "resolved" => "[green]resolved[/]",
        _ => Markup.Escape(status),
    };

    private static string Severity(string severity) => $"[bold]{Markup.Escape(severity)}[/]";
}
