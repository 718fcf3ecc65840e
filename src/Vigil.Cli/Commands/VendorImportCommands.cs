using System.CommandLine;
using Vigil.Core.Importers;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil import pagerduty|opsgenie|grafana-oncall</c>: turns a vendor's API export (JSON files, or
/// fetched with <c>--api-key</c>) into a validated vigil.yaml fragment and a report of what was not mapped.
/// The mapping itself is in Vigil.Core.Importers.
/// </summary>
internal static class VendorImportCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env) =>
    [
        Vendor(env, ImportVendor.PagerDuty, "pagerduty", "users, schedules/{id}, schedules/{id}/overrides, escalation_policies, services"),
        Vendor(env, ImportVendor.Opsgenie, "opsgenie", "users.json, schedules.json (?expand=rotation), overrides-{scheduleId}.json, escalations.json, services.json, integrations.json"),
        Vendor(env, ImportVendor.GrafanaOnCall, "grafana-oncall", "users.json, schedules.json, on_call_shifts.json, escalation_chains.json, escalation_policies.json, integrations.json, webhooks.json"),
    ];

    private static Command Vendor(CliEnvironment env, ImportVendor vendor, string name, string what)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = $"Folders or files of JSON saved from the {ImportYaml.VendorName(vendor)} API ({what})",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var outFile = new Option<string?>("--out") { Description = $"The vigil.yaml fragment to write (default ./{name}.yaml); include it from vigil.yaml" };
        var report = new Option<string?>("--report") { Description = $"The Markdown report of what was not mapped (default ./{name}.report.md)" };
        var force = new Option<bool>("--force") { Description = "Overwrite the fragment and report if they exist" };
        var cmd = new Command(name, $"Import people, schedules, escalation policies and services from {ImportYaml.VendorName(vendor)} into a vigil.yaml fragment, "
            + "with a report of everything not mapped (see docs/migrating.md).")
        {
            paths, outFile, report, force,
        };
        cmd.SetHandler(env, (ctx, ct) =>
        {
            var given = ctx.Parse.GetValue(paths) ?? [];
            if (given.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, $"give the folder (or files) of JSON saved from the {ImportYaml.VendorName(vendor)} API, like `vigil import {name} ./{name}-export/`; see docs/migrating.md.");
            }

            var fragment = ctx.Env.Resolve(ctx.Parse.GetValue(outFile) ?? $"{name}.yaml");
            var reportFile = ctx.Env.Resolve(ctx.Parse.GetValue(report) ?? Path.ChangeExtension(fragment, null) + ".report.md");
            if (!ctx.Parse.GetValue(force))
            {
                foreach (var file in new[] { fragment, reportFile }.Where(File.Exists))
                {
                    throw new CliException(ExitCodes.Usage, $"{file} exists; nothing was written. Choose another file with --out/--report, or pass --force to overwrite it.");
                }
            }

            ImportResult result;
            try
            {
                var documents = ImportFiles.Load(given.Select(ctx.Env.Resolve));
                result = Map(vendor, documents, TimeProvider.System.GetUtcNow());
            }
            catch (ImportInputException ex)
            {
                throw new CliException(ExitCodes.Usage, ex.Message);
            }

            return Task.FromResult(Write(ctx, result, fragment, reportFile));
        });
        return cmd;
    }

    internal static ImportResult Map(ImportVendor vendor, IReadOnlyList<ImportDocument> documents, DateTimeOffset now) => vendor switch
    {
        ImportVendor.PagerDuty => PagerDutyImporter.Map(documents, now),
        ImportVendor.Opsgenie => OpsgenieImporter.Map(documents, now),
        ImportVendor.GrafanaOnCall => GrafanaOnCallImporter.Map(documents, now),
        _ => throw new CliException(ExitCodes.Usage, $"importing from {ImportYaml.VendorName(vendor)} is not available yet"),
    };

    private static int Write(CliContext ctx, ImportResult result, string fragment, string reportFile)
    {
        var yaml = ImportYaml.Write(result);
        var check = ImportYaml.Validate(yaml, Path.GetFileName(fragment));
        if (!check.Success)
        {
            // The importer made config Vigil rejects: a bug in the importer, not in the input. Write nothing.
            throw new CliException(ExitCodes.Internal, "the imported config does not validate (a bug in the importer; please report it with the vendor files):"
                + Environment.NewLine + string.Join(Environment.NewLine, check.Errors.Select(e => $"{Path.GetFileName(fragment)}:{ImportYaml.FragmentLine(e)}: {e.Path}: {e.Message}")));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fragment)!);
        Directory.CreateDirectory(Path.GetDirectoryName(reportFile)!);
        File.WriteAllText(fragment, yaml);
        File.WriteAllText(reportFile, ImportReport.Markdown(result, Path.GetFileName(fragment)));
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new
            {
                vendor = ImportYaml.VendorName(result.Vendor),
                fragment,
                report = reportFile,
                valid = true,
                people = result.People.Count,
                schedules = result.Schedules.Count,
                escalationPolicies = result.EscalationPolicies.Count,
                services = result.Services.Count,
                notifiers = result.Notifiers.Count,
                unmapped = result.Unmapped.Select(u => new { kind = u.Kind, source = u.Source, reason = u.Reason }),
            });
        }
        else
        {
            ctx.Line($"Wrote {fragment}: {result.People.Count} people, {result.Schedules.Count} schedules, {result.EscalationPolicies.Count} escalation policies, "
                + $"{result.Services.Count} services, {result.Notifiers.Count} notifiers (valid).");
            ctx.Line(result.Unmapped.Count == 0
                ? $"Everything was mapped; the report is {reportFile}."
                : $"{result.Unmapped.Count} item(s) not mapped, each with the reason, in {reportFile}. Review them before you include the fragment from vigil.yaml.");
        }

        return ExitCodes.Ok;
    }
}
