using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil journal add|list</c>: the ops journal.</summary>
internal static class JournalCommands
{
    public static Command Build(CliEnvironment env)
    {
        var journal = new Command("journal", "The ops journal: what was done or seen, by whom, when; entries during an incident show in its PIR.");

        var text = new Argument<string>("text") { Description = "What happened (1 to 4000 characters)" };
        var service = new Option<string?>("--service") { Description = "The service the entry is about" };
        var tags = new Option<string[]>("--tag") { Description = "A tag (repeat it for more)", AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "Write an entry (needs a responder token).") { text, service, tags };
        add.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var e = await api.PostAsync<JournalEntryView>("api/v1/journal",
                new JournalRequest(ctx.Parse.GetValue(text), ctx.Parse.GetValue(service), ctx.Parse.GetValue(tags) ?? []), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(e);
            }
            else
            {
                ctx.Line($"Journal entry #{e.Id.ToString(CultureInfo.InvariantCulture)} written at {e.At.ToString("u", CultureInfo.InvariantCulture)}.");
            }

            return ExitCodes.Ok;
        });

        var since = new Option<string?>("--since") { Description = "How far back (like 2h or 7d) or from when (ISO 8601, like 2026-05-01T14:00:00Z)" };
        var listService = new Option<string?>("--service") { Description = "Only entries about this service" };
        var tag = new Option<string?>("--tag") { Description = "Only entries with this tag" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default 100, at most 1000)" };
        var list = new Command("list", "Entries, newest first.") { since, listService, tag, limit };
        list.SetHandler(env, async (ctx, ct) =>
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            Add("since", ctx.Parse.GetValue(since));
            Add("service", ctx.Parse.GetValue(listService));
            Add("tag", ctx.Parse.GetValue(tag));
            Add("limit", ctx.Parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            using var api = ctx.Api();
            var entries = await api.GetAsync<List<JournalEntryView>>("api/v1/journal" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(entries);
                return ExitCodes.Ok;
            }

            if (entries.Count == 0)
            {
                ctx.Line("No journal entries match.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("#", "AT (UTC)", "AUTHOR", "SERVICE", "TAGS", "TEXT");
            foreach (var e in entries)
            {
                table.AddRow(e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(e.Author),
                    Markup.Escape(e.Service ?? "—"), Markup.Escape(string.Join(", ", e.Tags)), Markup.Escape(e.Text));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        journal.Add(add);
        journal.Add(list);
        return journal;
    }
}
