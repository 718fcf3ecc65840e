using System.Text.Json;
using Spectre.Console;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary>
/// Follows a run live over server-sent events: step headers, output lines as they come, outcomes,
/// and confirmation questions answered from the terminal. Ctrl+C cancels the run on the server.
/// </summary>
internal static class RunStream
{
    /// <param name="declineWithoutTerminal">
    /// True for the run this CLI started: with nobody to ask, a confirmation is declined. False for <c>follow</c>:
    /// it watches, and leaves the answer to someone who can give it.
    /// </param>
    public static async Task<int> FollowAsync(CliContext ctx, ApiClient api, RunView run, bool declineWithoutTerminal, CancellationToken cancel)
    {
        // Ctrl+C cancels the run on the server rather than leaving it running (or waiting) with nobody watching.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return await StreamAsync(ctx, api, run, declineWithoutTerminal, interrupted.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static async Task<int> StreamAsync(CliContext ctx, ApiClient api, RunView run, bool declineWithoutTerminal, CancellationToken ct)
    {
        var c = ctx.Console;
        var json = ctx.Format == OutputFormat.Json;
        if (!json)
        {
            c.MarkupLine($"[bold]Run #{run.Id}[/] of {Markup.Escape(run.Runbook)} › {Markup.Escape(run.Procedure)} on the server ({Markup.Escape(run.Environment)})");
        }

        RunEventView? end = null;
        try
        {
            await foreach (var (_, data) in api.StreamEventsAsync($"api/v1/runbook-runs/{run.Id}/events", ct))
            {
                // The event is read terminal-safe for rendering and prompts; JSON output passes the server's line
                // on, with any raw control character (valid JSON has none) written as its \u escape.
                var e = CliJson.ReadForTerminal<RunEventView>(data)!;
                if (json)
                {
                    ctx.Env.Out.WriteLine(Vigil.Core.Text.TerminalText.Sanitize(data));
                }
                else
                {
                    Render(c, e);
                }

                if (e.Type == RunEventType.Confirm && (ctx.Env.Input is not null || declineWithoutTerminal))
                {
                    await AnswerAsync(ctx, api, run.Id, e, ct);
                }
                else if (e.Type == RunEventType.Confirm && !json)
                {
                    c.MarkupLine($"[yellow]waiting for someone to confirm step {e.Index} (vigil runbook follow {run.Id} at a terminal)[/]");
                }
                else if (e.Type == RunEventType.End)
                {
                    end = e;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            using var api2 = ctx.Api();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await api2.PostAsync<RunView>($"api/v1/runbook-runs/{run.Id}/cancel", new RunReasonRequest("interrupted at the terminal (Ctrl+C)"), grace.Token);
            ctx.Error($"vigil: cancelled run #{run.Id}.");
            return ExitCodes.Failed;
        }

        if (end is null)
        {
            ctx.Error($"vigil: the server closed the stream of run #{run.Id} before it ended; see 'vigil runbook log {run.Id}'.");
            return ExitCodes.Failed;
        }

        return end.Status == RunStatus.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void Render(IAnsiConsole c, RunEventView e)
    {
        switch (e.Type)
        {
            case RunEventType.Status when e.Message is not null:
                c.MarkupLine($"[yellow]{Markup.Escape(e.Message)}[/]");
                break;
            case RunEventType.Step:
                c.MarkupLine($"[bold]▶ {(e.Rollback == true ? "rollback " : "")}step {e.Index}{(e.Procedure is { } branch ? " of " + Markup.Escape(branch) : "")}[/] {Markup.Escape(e.Name ?? "")}{(e.Mutating == true ? "  [yellow]mutating[/]" : "")}");
                break;
            case RunEventType.Output:
                c.MarkupLine($"  {Markup.Escape(e.Line ?? "")}");
                break;
            case RunEventType.StepEnd when e.StepStatus == StepStatus.Skipped:
                c.MarkupLine($"[grey]↷ step {e.Index}{(e.Procedure is { } skippedIn ? " of " + Markup.Escape(skippedIn) : "")} skipped{(e.Message is null ? "" : ": " + Markup.Escape(e.Message))}[/]");
                break;
            case RunEventType.StepEnd:
                var ok = e.StepStatus == StepStatus.Succeeded;
                c.MarkupLine($"{(ok ? "[green]✔[/]" : "[red]✘[/]")} step {e.Index} {RunNames.Of(e.StepStatus!.Value).Replace('_', ' ')}"
                    + (e.ExitCode is { } code ? $" (exit {code}" : " (") + $"{(e.ExitCode is null ? "" : ", ")}{e.DurationSeconds:0.0} s)");
                break;
            case RunEventType.End:
                c.MarkupLine(RunbookCommands.Status(e.Status!.Value) + (string.IsNullOrWhiteSpace(e.Message) ? "" : $": {Markup.Escape(e.Message)}"));
                break;
        }
    }

    private static async Task AnswerAsync(CliContext ctx, ApiClient api, long runId, RunEventView e, CancellationToken ct)
    {
        var c = ctx.Console;
        ConfirmAnswer? answer = null;
        if (ctx.Env.Input is null)
        {
            answer = ConfirmAnswer.No;
            ctx.Error($"vigil: step {e.Index} needs a confirmation{(e.Message is null ? "" : $" ({e.Message})")} and nobody can answer here; declining. Pass --confirm {e.Name ?? e.Index.ToString()} to approve it in advance.");
        }
        else
        {
            c.MarkupLine($"[bold]Step {e.Index}[/] {Markup.Escape(e.Name ?? "")}{(e.Mutating == true ? "  [yellow]mutating[/]" : "")}{(e.Message is null ? "" : $"  [red]{Markup.Escape(e.Message)}[/]")}");
            foreach (var line in (e.Script ?? "").Split('\n'))
            {
                c.MarkupLine($"  [grey]{Markup.Escape(line)}[/]");
            }

            while (answer is null)
            {
                ctx.Env.Out.Write("Run it? [y]es / [a]ll remaining / [n]o (cancel the run): ");
                var read = (await ctx.Env.Input.ReadLineAsync(ct))?.Trim().ToLowerInvariant();
                answer = read switch
                {
                    null => ConfirmAnswer.No,
                    "y" or "yes" => ConfirmAnswer.Yes,
                    "a" or "all" => ConfirmAnswer.All,
                    "n" or "no" or "q" => ConfirmAnswer.No,
                    _ => null,
                };
            }
        }

        try
        {
            await api.PostAsync<RunView>($"api/v1/runbook-runs/{runId}/confirm", new RunConfirmRequest(RunNames.Of(answer.Value), e.Index), ct);
        }
        catch (CliException ex) when (ex.ExitCode != ExitCodes.Unreachable)
        {
            // Someone else answered first, or this token may not answer: keep watching.
            ctx.Error($"vigil: {ex.Message}");
        }
    }
}
