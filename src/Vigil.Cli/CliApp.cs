using System.CommandLine;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>The <c>vigil</c> command tree.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = Build(env);
        var parse = root.Parse(args);
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

    internal static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("Vigil: checks, incidents, on-call, runbooks, backups and audit in one process.");
        GlobalOptions.AddTo(root);
        root.Add(ServeCommand.Build(env));
        root.Add(DemoCommand.Build(env));
        root.Add(InitCommand.Build(env));
        root.Add(ConfigCommands.Build(env));
        root.Add(StatusCommand.Build(env));
        root.Add(CheckCommands.Build(env));
        root.Add(IncidentCommands.Build(env));
        root.Add(ReportCommand.Build(env));
        root.Add(SloCommands.Build(env));
        foreach (var command in OperationsCommands.Build(env).Concat(PagingCommands.Build(env)).Concat(RunbookCommands.Build(env)))
        {
            root.Add(command);
        }
        root.Add(JournalCommands.Build(env));
        root.Add(ClusterCommands.Build(env));
        root.Add(BackupCommands.Build(env));
        root.Add(TokenCommands.Build(env));
        root.Add(AuditCommands.Build(env));
        root.Add(KeyCommands.Build(env));
        root.Add(CompletionCommand.Build(env));
        root.Add(HealthcheckCommand.Build(env));
        foreach (var command in ExportCommands.Build(env))
        {
            root.Add(command);
        }
        root.Add(MigrateStoreCommand.Build(env));
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
