using System.CommandLine;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>The <c>vigil</c> command tree.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(args);
        var root = Build(env, args);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && root.Subcommands.Count < TopLevel.Sum(t => t.Names.Length))
        {
            // A mistake is described against the whole tree, so that "did you mean" knows every command.
            root = Build(env);
            parse = root.Parse(args);
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var message in ParseErrors.Describe(parse))
            {
                await env.Error.WriteLineAsync($"vigil: {message}");
            }

            await env.Error.WriteLineAsync($"Run '{ParseErrors.CommandPath(parse.CommandResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        VendorImportCommands.PrepareHelp(parse);
        // No ProcessTerminationTimeout: the server's host handles SIGTERM/SIGINT itself and shuts down
        // gracefully; a second handler here would force-exit with a signal code mid-shutdown.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, ct);
    }

    /// <summary>
    /// The top-level commands in the order help lists them, each with the names it makes (CliTreeTests keeps
    /// these in step with the builders). A command line builds only the ones it names (<see cref="Build(CliEnvironment, IReadOnlyList{string})"/>).
    /// </summary>
    internal static readonly (string[] Names, Func<CliEnvironment, IEnumerable<Command>> Build)[] TopLevel =
    [
        (["serve"], env => [ServeCommand.Build(env)]),
        (["demo"], env => [DemoCommand.Build(env)]),
        (["init"], env => [InitCommand.Build(env)]),
        (["config"], env => [ConfigCommands.Build(env)]),
        (["status"], env => [StatusCommand.Build(env)]),
        (["check"], env => [CheckCommands.Build(env)]),
        (["incident"], env => [IncidentCommands.Build(env)]),
        (["report"], env => [ReportCommand.Build(env)]),
        (["slo"], env => [SloCommands.Build(env)]),
        (["freeze", "unfreeze", "window", "silence", "gate"], OperationsCommands.Build),
        (["notifications", "oncall", "override"], PagingCommands.Build),
        (["runbook", "drill"], RunbookCommands.Build),
        (["journal"], env => [JournalCommands.Build(env)]),
        (["cluster"], env => [ClusterCommands.Build(env)]),
        (["backup"], env => [BackupCommands.Build(env)]),
        (["token"], env => [TokenCommands.Build(env)]),
        (["audit"], env => [AuditCommands.Build(env)]),
        (["keys"], env => [KeyCommands.Build(env)]),
        (["completion"], env => [CompletionCommand.Build(env)]),
        (["healthcheck"], env => [HealthcheckCommand.Build(env)]),
        (["export", "import"], ExportCommands.Build),
        (["migrate-store"], env => [MigrateStoreCommand.Build(env)]),
    ];

    /// <summary>The whole command tree.</summary>
    internal static RootCommand Build(CliEnvironment env) => Build(env, args: null);

    /// <summary>
    /// The command tree for one command line: only the top-level commands whose names it contains, since building
    /// all of them (every option, argument and handler) is most of the start-up of a short command such as
    /// <c>vigil --version</c> (docs/performance.md). A line that names no command (<c>--help</c>, a typo, a
    /// <c>[suggest]</c> directive, an <c>@response</c> file) gets the whole tree; <c>--version</c> alone gets none.
    /// A word that names a command but is an option's value only adds a command that is not used.
    /// </summary>
    internal static RootCommand Build(CliEnvironment env, IReadOnlyList<string>? args)
    {
        var root = new RootCommand("Vigil: checks, incidents, on-call, runbooks, backups and audit in one process.");
        GlobalOptions.AddTo(root);
        IEnumerable<(string[] Names, Func<CliEnvironment, IEnumerable<Command>> Build)> only = TopLevel;
        if (args is not null && !args.Any(a => a.StartsWith('[') || a.StartsWith('@')))
        {
            var named = TopLevel.Where(t => t.Names.Any(args.Contains)).ToList();
            if (named.Count > 0)
            {
                only = named;
            }
            else if (args is ["--version"])
            {
                only = [];
            }
        }

        foreach (var (_, build) in only)
        {
            foreach (var command in build(env))
            {
                root.Add(command);
            }
        }

        return root;
    }

    /// <summary>Wraps a command body so expected failures print one sentence and return their exit code.</summary>
    internal static void SetHandler(this Command command, CliEnvironment env, Func<CliContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            var context = new CliContext(parse, env);
            try
            {
                return await body(context, ct);
            }
            catch (CliException ex)
            {
                await env.Error.WriteLineAsync($"vigil: {ex.Message}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Files and permissions: the environment, not a bug. One sentence, not a stack trace.
                await env.Error.WriteLineAsync($"vigil: {ex.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception ex)
            {
                // Anything else is a bug in Vigil, not a mistake in the input: say so, and how to report it.
                await env.Error.WriteLineAsync($"vigil: internal error: {ex.GetType().Name}: {ex.Message}");
                await env.Error.WriteLineAsync(env.Variable("VIGIL_DEBUG") is { Length: > 0 }
                    ? ex.ToString()
                    : "vigil: this is a bug in Vigil, not in your input; please report it with the command you ran (set VIGIL_DEBUG=1 to print the stack trace).");
                return ExitCodes.Internal;
            }
        });
}
