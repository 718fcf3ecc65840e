using System.CommandLine;
using Vigil.Cli.Importers;
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
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"Fetch from the {ImportYaml.VendorName(vendor)} API with this key instead of reading files (other users can see it in the process list: "
                + $"prefer --api-key-file or {ApiKeyVariable})",
        };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "Fetch with the key read from this file (its first line)" };
        var apiUrl = new Option<string?>("--api-url")
        {
            Description = VendorFetcher.DefaultUrl(vendor) is { } url
                ? $"The API's base URL when fetching (default {url}" + (vendor == ImportVendor.Opsgenie ? "; https://api.eu.opsgenie.com for an EU account)" : ")")
                : "The OnCall API's base URL when fetching (required: your OnCall's URL, or the Grafana Cloud OnCall API URL from OnCall → Settings)",
        };
        var save = new Option<string?>("--save") { Description = "When fetching, also write every page fetched as JSON into this (new or empty) folder, which `vigil import` reads as it is" };
        var cmd = new Command(name, $"Import people, schedules, escalation policies and services from {ImportYaml.VendorName(vendor)} into a vigil.yaml fragment, "
            + "with a report of everything not mapped (see docs/migrating.md). Reads JSON saved from its API, or fetches it with --api-key.")
        {
            paths, outFile, report, force, apiKey, apiKeyFile, apiUrl, save,
        };
        cmd.SetHandler(env, async (ctx, ct) =>
        {
            var given = ctx.Parse.GetValue(paths) ?? [];
            var fetch = FetchRequest(ctx, vendor, name, given.Length > 0, ctx.Parse.GetValue(apiKey), ctx.Parse.GetValue(apiKeyFile), ctx.Parse.GetValue(apiUrl), ctx.Parse.GetValue(save));
            if (given.Length == 0 && fetch is null)
            {
                throw new CliException(ExitCodes.Usage, $"give the folder (or files) of JSON saved from the {ImportYaml.VendorName(vendor)} API, like `vigil import {name} ./{name}-export/`, "
                    + $"or fetch from the API with --api-key-file FILE (or --api-key, or {ApiKeyVariable}); see docs/migrating.md.");
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

            var now = ctx.Env.Clock.GetUtcNow();
            IReadOnlyList<ImportDocument> documents;
            try
            {
                documents = fetch is null ? ImportFiles.Load(given.Select(ctx.Env.Resolve)) : await FetchAsync(ctx, vendor, fetch, now, ct);
            }
            catch (ImportInputException ex)
            {
                throw new CliException(ExitCodes.Usage, ex.Message);
            }

            ImportResult result;
            try
            {
                result = Map(vendor, documents, now);
            }
            catch (ImportInputException ex)
            {
                throw new CliException(ExitCodes.Usage, fetch is null ? ex.Message
                    : VendorFetcher.Redact($"{ex.Message} (the {ImportYaml.VendorName(vendor)} API answered this; save the pages with --save and report it if the API's answer looks right)", fetch.Key));
            }

            return Write(ctx, result, fragment, reportFile);
        });
        return cmd;
    }

    /// <summary>The environment variable a fetch reads its key from when neither --api-key nor --api-key-file is given.</summary>
    internal const string ApiKeyVariable = "VIGIL_IMPORT_API_KEY";

    private sealed record Fetch(string Key, Uri Url, string? SaveDirectory);

    /// <summary>What to fetch, or null to read files. Checks every option before anything is fetched.</summary>
    private static Fetch? FetchRequest(CliContext ctx, ImportVendor vendor, string name, bool hasPaths, string? key, string? keyFile, string? url, string? save)
    {
        var vendorName = ImportYaml.VendorName(vendor);
        if (hasPaths)
        {
            var fetchOption = key is not null ? "--api-key" : keyFile is not null ? "--api-key-file" : url is not null ? "--api-url" : save is not null ? "--save" : null;
            if (fetchOption is not null)
            {
                throw new CliException(ExitCodes.Usage, $"{fetchOption} fetches from the {vendorName} API, but files were given too; either give the saved files, or fetch without them (`vigil import {name} --api-key-file FILE`).");
            }

            return null;
        }

        if (key is not null && keyFile is not null)
        {
            throw new CliException(ExitCodes.Usage, "give the key once: --api-key or --api-key-file, not both.");
        }

        string? source;
        if (keyFile is not null)
        {
            var path = ctx.Env.Resolve(keyFile);
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"--api-key-file {path}: no such file; write the {vendorName} API key into it (one line).");
            }

            key = File.ReadLines(path).FirstOrDefault() ?? string.Empty;
            source = $"--api-key-file {path}";
        }
        else if (key is not null)
        {
            source = "--api-key";
        }
        else if (ctx.Env.Variable(ApiKeyVariable) is { } fromEnv)
        {
            key = fromEnv;
            source = ApiKeyVariable;
        }
        else
        {
            if (url is not null || save is not null)
            {
                throw new CliException(ExitCodes.Usage, $"{(url is not null ? "--api-url" : "--save")} fetches from the {vendorName} API and needs its key: give --api-key-file FILE, --api-key KEY or {ApiKeyVariable}.");
            }

            return null;
        }

        key = key.Trim();
        if (key.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, $"{source} gives an empty key; put the {vendorName} API key there.");
        }

        if (key.Any(c => char.IsControl(c) || c > '\u007e'))
        {
            throw new CliException(ExitCodes.Usage, $"the key from {source} contains a control or non-ASCII character; it must be the {vendorName} API key exactly as the vendor shows it, on one line.");
        }

        url ??= VendorFetcher.DefaultUrl(vendor);
        if (url is null)
        {
            throw new CliException(ExitCodes.Usage, $"{vendorName} is self-hosted or per Grafana stack, so --api-url is required: your OnCall's URL (like https://oncall.example.com) "
                + "or the Grafana Cloud OnCall API URL shown in OnCall → Settings.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new CliException(ExitCodes.Usage, $"--api-url `{VendorFetcher.Redact(url, key)}` is not an http(s) base URL without query or user; use for example {VendorFetcher.DefaultUrl(vendor) ?? "https://oncall.example.com"}.");
        }

        if (vendor == ImportVendor.GrafanaOnCall)
        {
            // People copy the URL with the API's path; the fetcher adds api/v1/… itself.
            var trimmed = uri.AbsoluteUri.TrimEnd('/');
            foreach (var suffix in new[] { "/api/v1" })
            {
                if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    uri = new Uri(trimmed[..^suffix.Length]);
                }
            }
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            ctx.Error($"warning: --api-url {uri} is plain http; the key goes over the network unencrypted. Use https unless this is a trusted network.");
        }

        string? saveDirectory = null;
        if (save is not null)
        {
            saveDirectory = ctx.Env.Resolve(save);
            if (File.Exists(saveDirectory))
            {
                throw new CliException(ExitCodes.Usage, $"--save {saveDirectory} is a file; give a new or empty folder.");
            }

            if (Directory.Exists(saveDirectory) && Directory.EnumerateFiles(saveDirectory, "*.json", SearchOption.AllDirectories).Any())
            {
                throw new CliException(ExitCodes.Usage, $"--save {saveDirectory} already holds .json files, and `vigil import` would read them with the new ones; give a new or empty folder.");
            }
        }

        return new Fetch(key, uri, saveDirectory);
    }

    private static async Task<IReadOnlyList<ImportDocument>> FetchAsync(CliContext ctx, ImportVendor vendor, Fetch fetch, DateTimeOffset now, CancellationToken ct)
    {
        var vendorName = ImportYaml.VendorName(vendor);
        ctx.Error($"Fetching from the {vendorName} API at {fetch.Url} (progress on stderr):");
        List<FetchedDocument> fetched;
        using (var fetcher = new VendorFetcher(vendor, fetch.Url, fetch.Key, line => ctx.Error("  " + line), ctx.Env.Delay, ctx.Env.Clock))
        {
            try
            {
                fetched = await fetcher.FetchAsync(now, ct);
            }
            catch (VendorFetchException ex)
            {
                throw new CliException(ex.ExitCode, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Never a stack trace, and never the key, even for what should not happen.
                throw new CliException(ExitCodes.Internal, fetcher.Redact($"internal error while fetching from {vendorName}: {ex.GetType().Name}: {ex.Message}; this is a bug in Vigil, please report it with the command you ran."));
            }
        }

        ctx.Error($"Fetched {fetched.Count} documents from {vendorName}.");
        if (fetch.SaveDirectory is { } dir)
        {
            foreach (var doc in fetched)
            {
                var file = Path.Combine(dir, doc.Document.File.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, doc.Json, ct);
            }

            ctx.Error($"Saved {fetched.Count} files in {dir}; `vigil import {VendorCommandName(vendor)} {dir}` imports them again without the API.");
        }

        return fetched.Select(d => d.Document).ToList();
    }

    private static string VendorCommandName(ImportVendor vendor) => vendor switch
    {
        ImportVendor.PagerDuty => "pagerduty",
        ImportVendor.Opsgenie => "opsgenie",
        _ => "grafana-oncall",
    };

    /// <summary>
    /// <c>vigil import pagerduty --help</c>: the parent <c>import</c> command's <c>&lt;file&gt;</c> argument (a state
    /// export) is no part of a vendor import, so it is hidden from that help's usage line and arguments
    /// (the command tree is built per run, so this changes nothing else).
    /// </summary>
    internal static void PrepareHelp(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        if (parse.Action is System.CommandLine.Help.HelpAction && command.Name is "pagerduty" or "opsgenie" or "grafana-oncall"
            && command.Parents.OfType<Command>().FirstOrDefault() is { Name: "import" } import)
        {
            foreach (var argument in import.Arguments)
            {
                argument.Hidden = true;
            }
        }
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
