using Vigil.Core.Runbooks;
using Vigil.Server.Api;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>A prompt-style block run for real: bash child processes in the test's temp folder, through the real API.</summary>
public sealed class PromptStyleRunTests
{
    private const string Fence = "```";

    // Were an output line run, bash -e would stop at "hello-from-the-runbook: command not found", or create the marker file.
    private const string Inspect = $$"""
        ---
        id: inspect
        service: web
        ---
        # Inspect the web tier

        ## Look around

        {{Fence}}bash
        $ echo hello > seen.txt
        hello-from-the-runbook
        $ cat seen.txt
        hello
        touch output-line-was-run.txt
        $ kubectl-not-installed get pods 2>/dev/null \
            || echo "fallback ran"
        NAME    READY   STATUS
        web-0   1/1     Running
        {{Fence}}

        {{Fence}}bash {name=hold confirm=true}
        $ echo held
        held
        {{Fence}}
        """;

    [Fact]
    public async Task A_prompt_style_block_runs_only_its_commands_and_shows_its_output_lines()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["inspect.md"] = Inspect });
        var run = await h.RunAsync(new { runbook = "inspect", yes = true });

        // The second step waits for a confirmation, so the run is still live and its event log holds the first step's start.
        var events = await h.EventsAsync(run.Id, e => e.Type == RunEventType.Confirm);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/confirm", new { answer = "yes" })).StatusCode);
        var ended = await h.EndAsync(run.Id);

        Assert.True(ended.Status == RunStatus.Succeeded, await h.LogAsync(run.Id));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(h.File("seen.txt")));
        Assert.False(File.Exists(h.File("output-line-was-run.txt")));
        var output = events.Where(e => e.Type == RunEventType.Output).Select(e => e.Line).ToList();
        Assert.Equal(["hello", "fallback ran"], output);
        var start = Assert.Single(events, e => e.Type == RunEventType.Step);
        Assert.Equal(1, start.Index);
        Assert.Equal("echo hello > seen.txt\ncat seen.txt\nkubectl-not-installed get pods 2>/dev/null \\\n    || echo \"fallback ran\"", start.Script);
        Assert.Equal(["hello-from-the-runbook", "hello", "touch output-line-was-run.txt", "NAME    READY   STATUS", "web-0   1/1     Running"], start.ExpectedOutput);
        var log = await h.LogAsync(run.Id);
        Assert.DoesNotContain("command not found", log, StringComparison.Ordinal);
        Assert.Contains("held", log, StringComparison.Ordinal);
    }
}
