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
        var name = new Argument<string>("name") { Description = "File name (without .md); also the runbook id" };
        var template = new Option<string>("--template", "-t") { Description = $"One of: {string.Join(", ", Templates.Keys)}", DefaultValueFactory = _ => "restart" };
        var dir = new Option<string?>("--dir") { Description = "Folder to write into (default: the first of the config's runbooks.paths, else the current folder)" };
        var command = new Command("new", "Write a new runbook from a template: front matter, a procedure, verification and rollback.") { name, template, dir, ConfigCommands.ConfigFile };
        command.SetHandler(env, (ctx, _) =>
        {
            var t = ctx.Parse.GetValue(template)!;
            if (!Templates.TryGetValue(t, out var chosen))
            {
                throw new CliException(ExitCodes.Usage, $"No template '{t}'; templates: {string.Join(", ", Templates.Select(x => $"{x.Key} ({x.Value.Description})"))}.");
            }

            var raw = ctx.Parse.GetValue(name)!;
            var id = RunbookCatalog.IdFromPath(raw);
            var folder = ctx.Parse.GetValue(dir) is { } d ? ctx.Env.Resolve(d) : DefaultFolder(ctx);
            var path = Path.Combine(folder, id + ".md");
            if (File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"{path} already exists; choose another name or remove it first.");
            }

            var title = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(id.Replace('-', ' '));
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, Render(chosen.Body, id, title, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime)));
            ctx.Line($"Wrote {Path.GetRelativePath(ctx.Env.WorkingDirectory, path)} from the {t} template. Edit it, then: vigil runbook lint {Path.GetRelativePath(ctx.Env.WorkingDirectory, path)}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    public static string Render(string body, string id, string title, DateOnly today) =>
        body.Replace("{id}", id, StringComparison.Ordinal).Replace("{title}", title, StringComparison.Ordinal)
            .Replace("{today}", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n";

    private static string DefaultFolder(CliContext ctx)
    {
        var configPath = ConfigCommands.ResolveConfig(ctx);
        if (File.Exists(configPath) && ConfigCommands.LoadOrThrow(ctx).Result.Config is { } config && config.Runbooks.Paths.Count > 0)
        {
            var first = config.ResolvePath(config.Runbooks.Paths[0]);
            return Path.HasExtension(first) ? Path.GetDirectoryName(first)! : first;
        }

        return ctx.Env.WorkingDirectory;
    }
}
