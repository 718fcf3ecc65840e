using System.CommandLine;
using Vigil.Core.Slos;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil slo rules ID</c>: the Prometheus recording and alerting rules of a Prometheus-backed SLO,
/// from the config file (no server needed), for <c>rule_files:</c>.
/// </summary>
internal static class SloRulesCommand
{
    public static Command Build(CliEnvironment env)
    {
        var id = new Argument<string>("id") { Description = "The SLO's id (services[].slos[].id)" };
        // --file, not -o: -o is the output format everywhere.
        var file = new Option<string?>("--file") { Description = "Write the rules to this file instead of standard output" };
        var rules = new Command("rules", "Print Prometheus recording and alerting rules (multi-window, multi-burn-rate) for a Prometheus-backed SLO; they pass promtool check rules.")
        {
            id, file, ConfigCommands.ConfigFile,
        };
        rules.SetHandler(env, async (ctx, ct) =>
        {
            if (ctx.Format == OutputFormat.Json)
            {
                throw new CliException(ExitCodes.Usage, "Prometheus rules are YAML, not JSON: drop -o json (write them to a file with --file FILE).");
            }

            var (result, path) = ConfigCommands.LoadOrThrow(ctx);
            var wanted = ctx.Parse.GetValue(id)!;
            var all = SloDefinitions.Build(result.Config!);
            var slo = all.FirstOrDefault(s => string.Equals(s.Id, wanted, StringComparison.Ordinal))
                ?? throw new CliException(ExitCodes.Usage, all.Count == 0
                    ? $"{path} defines no SLOs (services[].slos); add one with a `prometheus` SLI, see docs/slos.md."
                    : $"No SLO `{wanted}` in {path}. SLOs: {string.Join(", ", all.Select(s => s.Id))}.");
            if (PrometheusRules.Unsupported(slo) is { } why)
            {
                var candidates = all.Where(s => PrometheusRules.Unsupported(s) is null).Select(s => s.Id).ToList();
                throw new CliException(ExitCodes.Usage, why + "." + (candidates.Count > 0 ? $" SLOs with a prometheus SLI: {string.Join(", ", candidates)}." : string.Empty));
            }

            var text = PrometheusRules.Generate(slo);
            if (ctx.Parse.GetValue(file) is { } target)
            {
                var full = ctx.Env.Resolve(target);
                try
                {
                    await File.WriteAllTextAsync(full, text, ct);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliException(ExitCodes.Failed, $"Cannot write {full}: {ex.Message}");
                }

                ctx.Line($"Wrote the Prometheus rules of SLO {slo.Id} to {full}; check them with: promtool check rules {full}");
            }
            else
            {
                ctx.Env.Out.Write(text);
            }

            return ExitCodes.Ok;
        });
        return rules;
    }
}
