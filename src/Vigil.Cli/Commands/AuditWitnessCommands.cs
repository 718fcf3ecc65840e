using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using Spectre.Console;
using Vigil.Core.Audit;
using Vigil.Server.AuditTrail.Witnesses;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil audit witnesses</c> and <c>vigil audit verify --witness NAME|all [--witness-file FILE]</c>.</summary>
internal static class AuditWitnessCommands
{
    public static Command BuildStatus(CliEnvironment env)
    {
        var witnesses = new Command("witnesses", "Each audit witness: the newest checkpoint it accepted, what is pending, and why delivery fails while it does.");
        witnesses.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var list = await api.GetAsync<List<WitnessStatus>>("api/v1/audit/witnesses", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(list);
                return ExitCodes.Ok;
            }

            if (list.Count == 0)
            {
                ctx.Line("No audit witnesses are configured (audit.witnesses); see docs/security.md.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("WITNESS", "KIND", "WHERE", "DELIVERED THROUGH", "PENDING", "STATE");
            foreach (var w in list)
            {
                var state = w.Ok ? "[green]ok[/]"
                    : $"[red]failing[/] ({w.ConsecutiveFailures}x, next try {w.NextAttemptAt:u}): {Markup.Escape(w.LastError ?? "")}";
                table.AddRow(Markup.Escape(w.Id), w.Kind, Markup.Escape(w.Description),
                    w.DeliveredThrough is { } d ? "#" + d.ToString(CultureInfo.InvariantCulture) : "—", w.Pending.ToString(CultureInfo.InvariantCulture), state);
            }

            ctx.Console.Write(table);
            return list.All(w => w.Ok) ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return witnesses;
    }

    /// <summary>The chain first (as plain verify), then each witness; exit 1 when either fails.</summary>
    public static async Task<int> VerifyAsync(CliContext ctx, ApiClient api, string witness, string? copyFile, CancellationToken ct)
    {
        var chain = await api.GetAsync<AuditVerification>("api/v1/audit/verify", ct);
        List<WitnessVerification> results;
        if (copyFile is not null)
        {
            if (witness == "all")
            {
                throw new CliException(ExitCodes.Usage, "--witness-file is the copy of one witness: name it with --witness NAME, not all.");
            }

            var path = ctx.Env.Resolve(copyFile);
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"--witness-file {copyFile}: no such file ({path}).");
            }

            await using var stream = File.OpenRead(path);
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            results = [await api.PostContentAsync<WitnessVerification>($"api/v1/audit/witnesses/verify-copy?name={Uri.EscapeDataString(witness)}", content, ct)];
        }
        else
        {
            results = await api.GetAsync<List<WitnessVerification>>($"api/v1/audit/witnesses/verify?witness={Uri.EscapeDataString(witness)}", ct);
            if (witness != "all" && results.Any(r => r.Unreadable))
            {
                throw new CliException(ExitCodes.Usage, results.First(r => r.Unreadable).Problem!);
            }
        }

        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new { chain, witnesses = results });
        }
        else
        {
            AuditCommands.Report(ctx, chain);
            foreach (var r in results)
            {
                if (r.Unreadable)
                {
                    ctx.Line($"Witness {r.Witness}: not checked: {r.Problem}.");
                }
                else if (r.Ok)
                {
                    ctx.Line($"Witness {r.Witness} agrees: {r.Witnessed} witnessed checkpoints verified and match the chain, the newest covering entry #{r.NewestSeq}.");
                }
                else
                {
                    ctx.Error($"Witness {r.Witness} DISAGREES" + (r.BadCheckpoint is { } cp ? $" at checkpoint #{cp}" : "") + $": {r.Problem}.");
                }
            }
        }

        return chain.Ok && results.All(r => r.Ok || r.Unreadable) ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
