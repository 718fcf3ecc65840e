using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil notifications</c>, <c>vigil oncall</c> and <c>vigil override add|list|remove</c>.</summary>
internal static class PagingCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env) => [Notifications(env), OnCall(env), Override(env)];

    private static Command Notifications(CliEnvironment env)
    {
        var failed = new Option<bool>("--failed") { Description = "Only failed notifications and ones still retrying" };
        var incident = new Option<long?>("--incident") { Description = "Only this incident's" };
        var cmd = new Command("notifications", "The delivery ledger: every page and notice with its attempts, newest first.") { failed, incident };
        cmd.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var query = $"api/v1/notifications?failed={ctx.Parse.GetValue(failed).ToString().ToLowerInvariant()}" +
                (ctx.Parse.GetValue(incident) is { } i ? $"&incident={i}" : "");
            var list = await api.GetAsync<List<NotificationView>>(query, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(list);
            }
            else if (list.Count == 0)
            {
                ctx.Line(ctx.Parse.GetValue(failed) ? "No failed notifications." : "No notifications yet.");
            }
            else
            {
                ctx.Console.Write(NotificationTable(list));
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static Table NotificationTable(IReadOnlyList<NotificationView> list)
    {
        var table = new Table().Title("notifications").AddColumns("#", "INCIDENT", "KIND", "STEP", "TO", "VIA", "STATE", "ATTEMPTS", "UPDATED", "LAST ERROR");
        foreach (var n in list)
        {
            var state = n.State switch { "delivered" => "[green]delivered[/]", "failed" => "[red]failed[/]", _ => "[yellow]pending[/]" };
            table.AddRow(N(n.Id), "#" + N(n.IncidentId), n.Kind, n.Step < 0 ? "-" : $"{n.Step + 1}" + (n.Repeat > 0 ? $"/r{n.Repeat}" : ""),
                Markup.Escape(n.Person ?? n.Target), Markup.Escape(n.Notifier), state, N(n.Attempts), CliContext.Ago(n.UpdatedAt), Markup.Escape(n.LastError ?? ""));
        }

        return table;
    }

    private static Command OnCall(CliEnvironment env)
    {
        var schedule = new Option<string?>("--schedule") { Description = "Only this schedule" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "At this time (ISO 8601 with an offset; default now)" };
        var next = new Option<string?>("--next") { Description = "Show the shifts of the coming period instead (like 7d)", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("oncall", "Who is on call now, at a time, or in the coming days.") { schedule, at, next };
        cmd.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var query = new List<string>();
            if (ctx.Parse.GetValue(schedule) is { } s)
            {
                query.Add("schedule=" + Uri.EscapeDataString(s));
            }

            if (ctx.Parse.GetValue(at) is { } t)
            {
                query.Add("at=" + Uri.EscapeDataString(t.ToString("o", CultureInfo.InvariantCulture)));
            }

            var nextResult = ctx.Parse.GetResult(next);
            if (nextResult is not null)
            {
                query.Add("next=" + Uri.EscapeDataString(ctx.Parse.GetValue(next) ?? "7d"));
                var shifts = await api.GetAsync<List<ShiftView>>("api/v1/oncall?" + string.Join('&', query), ct);
                if (ctx.Format == OutputFormat.Json)
                {
                    ctx.WriteJson(shifts);
                    return ExitCodes.Ok;
                }

                var table = new Table().AddColumns("SCHEDULE", "FROM (UTC)", "UNTIL (UTC)", "ON CALL", "SOURCE");
                foreach (var x in shifts)
                {
                    table.AddRow(Markup.Escape(x.Schedule), x.From.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        x.Until.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(x.PersonName ?? "(nobody)"), Markup.Escape(x.Source ?? ""));
                }

                ctx.Console.Write(table);
                return ExitCodes.Ok;
            }

            var now = await api.GetAsync<List<OnCallView>>("api/v1/oncall" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(now);
                return ExitCodes.Ok;
            }

            if (now.Count == 0)
            {
                ctx.Line("No schedules are configured.");
                return ExitCodes.Ok;
            }

            var current = new Table().AddColumns("SCHEDULE", "ON CALL", "SINCE (UTC)", "UNTIL (UTC)", "SOURCE");
            foreach (var x in now)
            {
                current.AddRow(Markup.Escape(x.Schedule), Markup.Escape(x.PersonName ?? "(nobody)"), x.From?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                    x.Until?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-", Markup.Escape(x.Source ?? ""));
            }

            ctx.Console.Write(current);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Override(CliEnvironment env)
    {
        var cmd = new Command("override", "On-call overrides: put someone on call for a period.");
        var schedule = new Option<string>("--schedule") { Description = "The schedule", Required = true };
        var person = new Option<string>("--person") { Description = "Who takes over (a person id)", Required = true };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start (ISO 8601 with an offset)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End (ISO 8601 with an offset)", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why" };
        var add = new Command("add", "Add an override.") { schedule, person, from, to, reason };
        add.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var o = await api.PostAsync<OverrideView>("api/v1/overrides", new OverrideRequest(ctx.Parse.GetValue(schedule), ctx.Parse.GetValue(person),
                ctx.Parse.GetValue(from), ctx.Parse.GetValue(to), ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(o);
            }
            else
            {
                ctx.Line($"Override #{o.Id}: {o.Person} is on call for {o.Schedule} from {o.From:u} to {o.To:u}.");
            }

            return ExitCodes.Ok;
        });

        var list = new Command("list", "Overrides in force or coming up.");
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var items = await api.GetAsync<List<OverrideView>>("api/v1/overrides", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("#", "SCHEDULE", "PERSON", "FROM (UTC)", "TO (UTC)", "BY", "REASON");
            foreach (var o in items)
            {
                table.AddRow(N(o.Id), Markup.Escape(o.Schedule), Markup.Escape(o.Person), o.From.ToString("u", CultureInfo.InvariantCulture),
                    o.To.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(o.CreatedBy), Markup.Escape(o.Reason ?? ""));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Override number" };
        var remove = new Command("remove", "Remove an override.") { id };
        remove.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            await api.DeleteNoContentAsync($"api/v1/overrides/{ctx.Parse.GetValue(id)}", ct);
            ctx.Line($"Override #{ctx.Parse.GetValue(id)} is removed.");
            return ExitCodes.Ok;
        });

        cmd.Add(add);
        cmd.Add(list);
        cmd.Add(remove);
        return cmd;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
