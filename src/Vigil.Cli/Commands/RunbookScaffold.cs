using System.CommandLine;
using System.Globalization;
using Vigil.Core.Runbooks;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runbook new NAME [--template T]</c>: a runbook skeleton that lints clean.</summary>
internal static class RunbookScaffold
{
    /// <summary>Template name → (description, body). Bodies use {id}, {title} and {today}.</summary>
    public static IReadOnlyDictionary<string, (string Description, string Body)> Templates { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["restart"] = ("restart a service, verify it, roll back on failure", """
            ---
            id: {id}
            title: {title}
            service: my-service
            owner: team-platform
            category: remediation
            last_reviewed: {today}
            review_every: 90d
            params:
              - name: unit
                description: systemd unit to restart
                default: my-service
                pattern: "^[A-Za-z0-9@._-]{1,64}$"
            ---

            # {title}

            Use when the service is up but unhealthy. Each step runs as `bash -o pipefail -e`;
            `<unit>` reaches it as the environment variable `VIGIL_PARAM_unit`, never as shell text.

            ## Restart

            ```bash {name=check-before}
            # Record the state before changing anything.
            systemctl status <unit> --no-pager || true
            ```

            ```bash {name=restart mutating=true timeout=2m}
            # Restart the unit.
            systemctl restart <unit>
            ```

            ```bash {name=verify timeout=1m}
            # Verify: the unit is active again.
            systemctl is-active <unit>
            ```

            ### Rollback

            ```bash {name=start-again mutating=true}
            # Make sure the unit is at least running.
            systemctl start <unit>
            ```
            """),
        ["recovery"] = ("restore from a backup, as a drill-able recovery procedure", """
            ---
            id: {id}
            title: {title}
            service: my-service
            owner: team-platform
            category: recovery
            last_reviewed: {today}
            review_every: 90d
            params:
              - name: backup-id
                description: the backup to restore (see 'vigil backup list')
                pattern: "^[A-Za-z0-9._:-]{1,128}$"
            ---

            # {title}

            Drill it with `vigil drill run {id} --procedure restore --rto 30m --param backup-id=…`.

            ## Restore

            ```bash {name=fetch}
            # Check the backup exists before stopping anything.
            test -n "<backup-id>"
            ```

            ```bash {name=restore mutating=true confirm=true timeout=20m}
            # Restore the data from the backup.
            echo "restoring <backup-id>"
            ```

            ```bash {name=verify}
            # Verify: the service answers its health check.
            echo "check the service health here"
            ```

            ### Rollback

            ```bash {name=restore-previous mutating=true}
            # Put the previous data back.
            echo "restoring the pre-restore snapshot"
            ```
            """),
        ["blue-green"] = ("swap to the new side, wait until it is healthy, watch it, swap back automatically if it fails", """
            ---
            id: {id}
            title: {title}
            service: {{service}}
            owner: team-platform
            category: deploy
            last_reviewed: {today}
            review_every: 90d
            ---

            # {title}

            Blue/green with automatic rollback: swap the `current` symlink to the new side, wait until
            Vigil's own checks of {{service}} have been ok for two minutes, then watch them for ten; the
            moment one goes critical the step fails and the Rollback section swaps back.

            ## Swap to green

            ```bash {name=swap mutating=true}
            # Point current at the new side, atomically.
            ln -sfn green current.next && mv -T current.next current
            ```

            ```bash {name=healthy wait="service:{{service}} ok for 2m" timeout=10m}
            # Wait until every check of {{service}} has been ok for two minutes.
            ```

            ```bash {name=bake watch="service:{{service}}" for=10m}
            # Watch {{service}} for ten minutes; fail (and roll back) at the first critical check.
            ```

            ```bash {name=verify}
            # Verify: current points at green.
            test "$(readlink current)" = green
            ```

            ### Rollback

            ```bash {name=swap-back mutating=true}
            # Point current back at the old side.
            ln -sfn blue current.next && mv -T current.next current
            ```
            """),
        ["maintenance"] = ("routine maintenance to schedule with runbooks.schedules", """
            ---
            id: {id}
            title: {title}
            service: my-service
            owner: team-platform
            category: maintenance
            last_reviewed: {today}
            review_every: 180d
            ---

            # {title}

            Schedule it in vigil.yaml under `runbooks.schedules` (cron); a failed scheduled run opens an incident.

            ## Clean up

            ```bash {name=clean mutating=true timeout=10m}
            # Remove temporary files older than a week.
            find /tmp -maxdepth 1 -name 'my-service-*' -mtime +7 -print
            ```

            ```bash {name=verify}
            # Verify: report what is left.
            du -sh /tmp
            ```
            """),
    };

    public static Command Build(CliEnvironment env)
    {
        var name = new Argument<string>("name") { Description = "The runbook's name, like \"Rotate API keys\"; its id and file name come from it" };
        var template = new Option<string>("--template", "-t")
        {
            Description = $"A Markdown file, a template named in the config's runbooks.templates, or a built-in: {string.Join(", ", Templates.Keys)}",
            DefaultValueFactory = _ => "restart",
        };
        var service = new Option<string?>("--service") { Description = "Fills {{service}} (default: my-service)" };
        var dir = new Option<string?>("--dir") { Description = "Folder to write into (default: the first of the config's runbooks.paths, else the current folder)" };
        var command = new Command("new", "Write a new runbook from a template (a built-in, the team's, or any Markdown file) and add it to the catalog's index.")
        {
            name, template, service, dir, ConfigCommands.ConfigFile,
        };
        command.SetHandler(env, (ctx, _) =>
        {
            var t = ctx.Parse.GetValue(template)!;
            var config = LoadConfig(ctx);
            var raw = ctx.Parse.GetValue(name)!;
            var id = RunbookCatalog.IdFromPath(raw);
            var folder = ctx.Parse.GetValue(dir) is { } d ? ctx.Env.Resolve(d) : DefaultFolder(ctx, config);
            var path = Path.Combine(folder, id + ".md");
            if (File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"{path} already exists; choose another name or remove it first.");
            }

            var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["name"] = raw, ["id"] = id, ["title"] = RunbookTemplates.Title(raw), ["service"] = ctx.Parse.GetValue(service) ?? "my-service", ["date"] = today,
            };
            var (body, from) = ReadTemplate(ctx, t, config);
            // {{…}} first: the built-ins' own {id}, {title} and {today} would otherwise eat the inner braces of {{id}}.
            var text = RunbookTemplates.Fill(body, values);
            if (Templates.TryGetValue(t, out var builtIn) && ReferenceEquals(builtIn.Body, body))
            {
                text = text.Replace("{id}", id, StringComparison.Ordinal).Replace("{title}", values["title"], StringComparison.Ordinal).Replace("{today}", today, StringComparison.Ordinal);
            }

            Directory.CreateDirectory(folder);
            File.WriteAllText(path, text.EndsWith('\n') ? text : text + "\n");
            var shown = Path.GetRelativePath(ctx.Env.WorkingDirectory, path);
            ctx.Line($"Wrote {shown} from {from}. Edit it, then: vigil runbook lint {shown}");
            if (config?.Runbooks.Index is { } indexFile)
            {
                AddToIndex(ctx, config.ResolvePath(indexFile), path, values);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    public static string Render(string body, string id, string title, DateOnly today) =>
        body.Replace("{id}", id, StringComparison.Ordinal).Replace("{title}", title, StringComparison.Ordinal)
            .Replace("{today}", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n";

    /// <summary>The template's text and where it came from: a file, the config's <c>runbooks.templates</c>, or a built-in.</summary>
    private static (string Body, string From) ReadTemplate(CliContext ctx, string t, Core.Config.VigilConfig? config)
    {
        var file = ctx.Env.Resolve(t);
        if (File.Exists(file))
        {
            return (File.ReadAllText(file), $"the template {Path.GetRelativePath(ctx.Env.WorkingDirectory, file)}");
        }

        if (config?.Runbooks.Templates.TryGetValue(t, out var configured) == true)
        {
            var resolved = config.ResolvePath(configured);
            return File.Exists(resolved)
                ? (File.ReadAllText(resolved), $"the team's {t} template ({Path.GetRelativePath(ctx.Env.WorkingDirectory, resolved)})")
                : throw new CliException(ExitCodes.Usage, $"runbooks.templates.{t} names {resolved}, which does not exist; fix the path in the config.");
        }

        if (Templates.TryGetValue(t, out var builtIn))
        {
            return (builtIn.Body, $"the {t} template");
        }

        var team = config?.Runbooks.Templates.Keys.ToList() ?? [];
        throw new CliException(ExitCodes.Usage, $"No template '{t}': not a file, "
            + (team.Count == 0 ? "no runbooks.templates in the config" : $"not one of the config's runbooks.templates ({string.Join(", ", team)})")
            + $", and not a built-in ({string.Join(", ", Templates.Select(x => $"{x.Key}: {x.Value.Description}"))}).");
    }

    private static void AddToIndex(CliContext ctx, string index, string path, Dictionary<string, string> values)
    {
        var shown = Path.GetRelativePath(ctx.Env.WorkingDirectory, index);
        if (!File.Exists(index))
        {
            ctx.Line($"runbooks.index names {shown}, which does not exist; the runbook was not added to an index.");
            return;
        }

        var frontMatter = RunbookParser.Parse(File.ReadAllText(path), path).Metadata;
        var row = new Dictionary<string, string>(values, StringComparer.Ordinal)
        {
            ["service"] = frontMatter.Service ?? values["service"], ["owner"] = frontMatter.Owner ?? "", ["category"] = frontMatter.Category ?? "",
        };
        var link = Path.GetRelativePath(Path.GetDirectoryName(index)!, path).Replace('\\', '/');
        if (RunbookTemplates.AddIndexRow(File.ReadAllText(index), row, link) is { } updated)
        {
            File.WriteAllText(index, updated);
            ctx.Line($"Added it to the index {shown}.");
        }
        else
        {
            ctx.Line($"{shown} has no Markdown table (a header row and a |---| row); the runbook was not added to it.");
        }
    }

    private static Core.Config.VigilConfig? LoadConfig(CliContext ctx) =>
        File.Exists(ConfigCommands.ResolveConfig(ctx)) ? ConfigCommands.LoadOrThrow(ctx).Result.Config : null;

    private static string DefaultFolder(CliContext ctx, Core.Config.VigilConfig? config)
    {
        if (config is { } c && c.Runbooks.Paths.Count > 0)
        {
            var first = c.ResolvePath(c.Runbooks.Paths[0]);
            return Path.HasExtension(first) ? Path.GetDirectoryName(first)! : first;
        }

        return ctx.Env.WorkingDirectory;
    }
}
