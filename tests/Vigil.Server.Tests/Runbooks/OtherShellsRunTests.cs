using Vigil.Core.Runbooks;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>Python and PowerShell steps run for real (python3; pwsh is not installed on this host, so its refusal is tested).</summary>
public sealed class OtherShellsRunTests
{
    private const string Fence = "```";

    [Fact]
    public async Task Python_ValuesReachTheStepOnlyAsEnvironment_AndStayInert()
    {
        var echo = $$"""
            ---
            id: py-echo
            params:
              - name: value
                pattern: "^(?s:.{1,200})$"
            ---
            # Echo

            {{Fence}}python {name=write}
            import os, sys
            value = os.environ["VIGIL_PARAM_value"]
            with open("out.txt", "w") as f:
                f.write(value)
            print("got:", value)
            print("python", sys.version_info[0])
            {{Fence}}
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["echo.md"] = echo });
        foreach (var value in new[] { "x; touch pwned", "$(touch pwned)", "`touch pwned`", "a\ntouch pwned", "' ; touch pwned ; '", "\" ; touch pwned ; \"",
            "\"); import os; os.system('touch pwned'); (\"", "__import__('os').system('touch pwned')", "--force" })
        {
            var run = await h.EndAsync((await h.RunAsync(new { runbook = "py-echo", @params = new Dictionary<string, string> { ["value"] = value }, yes = true })).Id);
            Assert.True(run.Status == RunStatus.Succeeded, $"{value}: {run.Error}\n{await h.LogAsync(run.Id)}");
            Assert.Equal(value, await File.ReadAllTextAsync(h.File("out.txt")));
            Assert.False(File.Exists(h.File("pwned")), $"the value {value} executed");
            Assert.Contains("python 3", await h.LogAsync(run.Id), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Python_FailingStep_FailsWithItsExitCodeAndTraceback()
    {
        var boom = $$"""
            ---
            id: py-boom
            ---
            # Boom

            {{Fence}}python {name=boom}
            import sys
            print("before")
            raise SystemExit(3)
            {{Fence}}
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["boom.md"] = boom });
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "py-boom", yes = true })).Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("step 1 (boom) failed with exit code 3", run.Error);
        Assert.Contains("before", await h.LogAsync(run.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pwsh_NotInstalled_IsRefusedWithAClearMessage_AndRollsBackWhatRan()
    {
        Assert.False((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "pwsh"))), "this test is for a host without pwsh; the refusal cannot be seen where it is installed");
        var ps = $$"""
            ---
            id: ps-restart
            ---
            # Restart

            ## Restart

            {{Fence}}bash {name=prepare}
            echo prepared > prepared.txt
            {{Fence}}

            {{Fence}}pwsh {name=restart}
            Restart-Service -Name api
            {{Fence}}

            ### Rollback

            {{Fence}}bash
            echo undone > undone.txt
            {{Fence}}
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["ps.md"] = ps });
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "ps-restart", yes = true })).Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("step 2 (restart) is a pwsh block, and PowerShell (pwsh) is not installed on the Vigil server's host (no pwsh on its PATH), so nothing was run. "
            + "Install PowerShell 7 there, or write the step as a bash or python block", run.Error);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Refused, StepStatus.Succeeded], run.Steps!.Select(s => s.Status));
        Assert.True(File.Exists(h.File("undone.txt")));
        Assert.Contains("[vigil] refused: step 2 (restart) is a pwsh block", await h.LogAsync(run.Id), StringComparison.Ordinal);
    }
}
