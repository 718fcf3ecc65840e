using System.CommandLine;
using Spectre.Console;
using Vigil.Core.Audit;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil audit tail|verify</c>.</summary>
internal static class AuditCommands
{
    public static Command Build(CliEnvironment env)
    {
        var audit = new Command("audit", "Read and verify the hash-chained audit trail.");

        var count = new Option<int>("-n", "--lines") { Description = "How many of the newest entries", DefaultValueFactory = _ => 100 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new entries until Ctrl+C" };
        var tail = new Command("tail", "Print the newest audit entries.") { count, follow };
        tail.SetHandler(env, async (ctx, ct) =>
        {
            var n = ctx.Parse.GetValue(count);
            if (n is < 1 or > 1000)
            {
                throw new CliException(ExitCodes.Usage, $"-n must be between 1 and 1000 (got {n}).");
            }

            using var api = ctx.Api();
            var entries = await api.GetAsync<List<AuditEntry>>($"api/v1/audit?tail={n}", ct);
            Print(ctx, entries);
            if (!ctx.Parse.GetValue(follow))
            {
                return ExitCodes.Ok;
            }

            var last = entries.Count > 0 ? entries[^1].Seq : 0;
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var more = await api.GetAsync<List<AuditEntry>>($"api/v1/audit?after={last}&limit=1000", ct);
                if (more.Count > 0)
                {
                    Print(ctx, more);
                    last = more[^1].Seq;
                }
            }

            return ExitCodes.Ok;
        });

        var witness = new Option<string?>("--witness") { Description = "Also compare the chain with what this witness holds (its id, or all)" };
        var witnessFile = new Option<string?>("--witness-file") { Description = "With --witness: compare with this copy of what the witness holds (JSON lines, as delivered) instead of reading it; for webhook witnesses" };
        var verify = new Command("verify", "Walk the whole chain; exit 1 naming the first entry that was changed, removed or reordered.") { witness, witnessFile };
        verify.Add(ExportCommands.VerifyFile);
        verify.Add(ExportCommands.Keys);
        verify.SetHandler(env, async (ctx, ct) =>
        {
            if (ExportCommands.OfflineVerify(ctx) is { } offline)
            {
                return await offline(ct);
            }

            using var api = ctx.Api();
            if (ctx.Parse.GetValue(witness) is { } named)
            {
                return await AuditWitnessCommands.VerifyAsync(ctx, api, named, ctx.Parse.GetValue(witnessFile), ct);
            }

            if (ctx.Parse.GetValue(witnessFile) is not null)
            {
                throw new CliException(ExitCodes.Usage, "--witness-file needs --witness NAME: the witness whose copy it is.");
            }

            var result = await api.GetAsync<AuditVerification>("api/v1/audit/verify", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(result);
            }
            else
            {
                Report(ctx, result);
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });

        audit.Add(tail);
        audit.Add(verify);
        audit.Add(AuditWitnessCommands.BuildStatus(env));
        return audit;
    }

    /// <summary>The verdict for a person: intact with what is signed, or the first problem (on stderr).</summary>
    internal static void Report(CliContext ctx, AuditVerification result)
    {
        if (!result.Ok)
        {
            ctx.Error(result.BadCheckpoint is { } cp
                ? $"Audit trail BROKEN at checkpoint #{cp}: {result.Problem}."
                : $"Audit chain BROKEN at entry #{result.BrokenAt}: {result.Problem}.");
            return;
        }

        ctx.Line($"Audit chain intact: {result.Checked} entries verified; {result.Checkpoints} signed checkpoints verified"
            + (result.SignedThrough is { } through ? $", signed through entry #{through}" : "")
            + (result.Unsigned > 0 ? $"; the newest {result.Unsigned} entries are not yet covered by a checkpoint." : "."));
    }

    private static void Print(CliContext ctx, IReadOnlyList<AuditEntry> entries)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            // One JSON object per line, so -f output can be piped into jq.
            foreach (var e in entries)
            {
                ctx.Line(System.Text.Json.JsonSerializer.Serialize(e, CliJson.Options));
            }

            return;
        }

        foreach (var e in entries)
        {
            var reason = e.Reason is null ? "" : $" — {Markup.Escape(e.Reason)}";
            ctx.Console.MarkupLine($"[grey]#{e.Seq} {e.At:yyyy-MM-dd HH:mm:ss}Z[/] [bold]{Markup.Escape(e.Actor)}[/] {Markup.Escape(e.Action)} {Markup.Escape(e.Target)}{reason}");
        }
    }
}
