using System.CommandLine;
using Vigil.Server.Export;
using Vigil.Storage.Postgres;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil migrate-store --to URL</c>: move a stopped Vigil's state into a new, empty store (SQLite to PostgreSQL).</summary>
internal static class MigrateStoreCommand
{
    public static Command Build(CliEnvironment env)
    {
        var to = new Option<string>("--to")
        {
            Description = "The new, empty store: postgres://user@host:port/db (password from VIGIL_STORAGE_POSTGRES_PASSWORD, "
                + "VIGIL_STORAGE_POSTGRES_PASSWORD_FILE or PGPASSWORD) or sqlite:PATH",
            Required = true,
        };
        var command = new Command("migrate-store", "Copy a stopped Vigil's whole state into a new, empty store, verify the copy's signature and audit chain, "
            + "and say how to switch to it. The old store is left as it was.") { to, ConfigCommands.ConfigFile };
        command.SetHandler(env, (ctx, ct) => RunAsync(ctx, ctx.Parse.GetValue(to)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext ctx, string to, CancellationToken ct)
    {
        if (!PostgresTarget.IsUrl(to) && !to.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.Usage, $"--to '{to}' is not a store URL: use postgres://user@host:port/db or sqlite:PATH.");
        }

        if (to.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && to.Length > "sqlite:".Length && !Path.IsPathRooted(to["sqlite:".Length..].Trim()))
        {
            to = "sqlite:" + ctx.Env.Resolve(to["sqlite:".Length..].Trim());
        }

        await using var source = await ExportCommands.OpenOfflineAsync(ctx, ct);
        var (target, error) = await source.OpenBesideAsync(to, ctx.Env.WorkingDirectory, TimeProvider.System, ctx.Env.Variable, ct);
        if (target is null)
        {
            throw new CliException(ExitCodes.Failed, $"--to: {error}");
        }

        await using (target)
        {
            var table = ctx.Format != OutputFormat.Json;
            if (table)
            {
                ctx.Line($"Moving {source.Store.Description} to {target.Store.Description}…");
            }

            StoreMoveResult result;
            try
            {
                result = await StoreMove.MoveAsync(source, target, TimeProvider.System, (phase, section, rows) =>
                {
                    if (table)
                    {
                        ctx.Line($"  {phase} {section}: {rows} rows");
                    }
                }, ct);
            }
            catch (ImportRefusedException ex)
            {
                throw new CliException(ExitCodes.Failed, ex.Message);
            }

            var setting = PostgresTarget.IsUrl(to) ? $"vigil.store: {result.To}" : $"vigil.store: {to}";
            if (!table)
            {
                ctx.WriteJson(new
                {
                    from = result.From,
                    to = result.To,
                    rows = result.Copied,
                    audit = result.Verified,
                    target_entry = result.ImportSeq,
                    source_entry = result.SourceSeq,
                    next = setting,
                });
                return ExitCodes.Ok;
            }

            ctx.Line($"Copied {result.Copied.Values.Sum()} rows in {result.Copied.Count} sections. The copy's audit chain verifies: {result.Verified.Checked} entries, "
                + $"{result.Verified.Checkpoints} signed checkpoints (target entry #{result.ImportSeq}; the source records the move as entry #{result.SourceSeq}).");
            ctx.Line($"Next: set '{setting}' in your config (or VIGIL_STORAGE_POSTGRES), keep the data folder (it holds the keys), and start 'vigil serve'. "
                + $"{result.From} is unchanged; do not start a Vigil on it again, or the two will page twice.");
            return ExitCodes.Ok;
        }
    }
}
