using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class OtherShellsTests
{
    private const string Fence = "```";

    private static readonly RunbookPlanOptions Options = new("^[A-Za-z0-9._:/@+=-]{1,256}$", TimeSpan.FromMinutes(5));

    private static List<StepCommand> Commands(string code, string language) => RunbookHazards.Commands(code, null, language).ToList();

    [Theory]
    [InlineData("Remove-Item -Recurse -Force C:\\data", "remove-item -recurse")]
    [InlineData("Get-ChildItem $dir | Remove-Item -recurse", "remove-item -recurse")]
    [InlineData("rm -r -fo $path", "rm -r")]
    [InlineData("Stop-Computer -Force", "stop-computer")]
    [InlineData("Format-Volume -DriveLetter D", "format-volume")]
    [InlineData("Stop-Process -Name api -Force", "stop-process -force")]
    public void Pwsh_DestroyCommands_AreDestroy(string line, string command)
    {
        var hazard = Assert.Single(RunbookHazards.Destructive(line, null, "pwsh"));

        Assert.Equal(command, hazard.Command);
        Assert.Equal(line, hazard.Text);
    }

    [Theory]
    [InlineData("Remove-Item C:\\tmp\\old.log")]
    [InlineData("Restart-Service -Name api")]
    [InlineData("Set-Content -Path app.conf -Value $x")]
    public void Pwsh_Changes_AreMutatingButNotDestroy(string line)
    {
        Assert.True(RunbookHazards.LooksMutating(line, null, "pwsh"));
        Assert.Empty(RunbookHazards.Destructive(line, null, "pwsh"));
    }

    [Theory]
    [InlineData("Get-Service api")]
    [InlineData("Invoke-RestMethod http://127.0.0.1/health")]
    [InlineData("Remove-Item -Recurse C:\\data -WhatIf")]
    [InlineData("Write-Output $env:VIGIL_PARAM_service")]
    public void Pwsh_Reads_AreNotMutating(string line)
    {
        Assert.False(RunbookHazards.LooksMutating(line, null, "pwsh"), string.Join(", ", Commands(line, "pwsh")));
    }

    [Theory]
    [InlineData("shutil.rmtree(target)", "shutil.rmtree")]
    [InlineData("from shutil import rmtree; rmtree('/srv/data')", "shutil.rmtree")]
    [InlineData("os.remove(path)", "os.remove")]
    [InlineData("os.unlink(os.path.join(root, name))", "os.unlink")]
    [InlineData("os.system('rm -rf /srv/cache')", "rm -rf")]
    [InlineData("subprocess.run(['kubectl', 'delete', 'pod', pod], check=True)", "kubectl delete")]
    [InlineData("subprocess.check_call(\"redis-cli FLUSHALL\", shell=True)", "redis-cli flushall")]
    public void Python_DestroyCalls_AreDestroy(string line, string command)
    {
        var hazards = RunbookHazards.Destructive(line, null, "python");

        Assert.Contains(hazards, h => string.Equals(h.Command, command, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("os.remove('old.pid')")]
    [InlineData("with open('app.conf', 'w') as f:")]
    [InlineData("pathlib.Path('x').write_text('y')")]
    [InlineData("requests.post(url, json=body)")]
    [InlineData("subprocess.run(['systemctl', 'restart', 'api'])")]
    public void Python_Changes_AreMutatingButNotDestroy(string line)
    {
        Assert.True(RunbookHazards.LooksMutating(line, null, "python"), line);
        Assert.Empty(RunbookHazards.Destructive(line, null, "python"));
    }

    [Theory]
    [InlineData("print(os.environ['VIGIL_PARAM_service'])")]
    [InlineData("# shutil.rmtree(target) would be wrong here")]
    [InlineData("data = json.load(open('state.json'))")]
    [InlineData("r = requests.get(url, timeout=5)")]
    [InlineData("subprocess.run(['kubectl', 'get', 'pods'])")]
    public void Python_Reads_AreNotMutating(string line)
    {
        Assert.False(RunbookHazards.LooksMutating(line, null, "python"), string.Join(", ", Commands(line, "python")));
    }

    [Fact]
    public void Parse_PythonAndPwshFences_AreSteps_UsingDeclaredParametersByTheirVariables()
    {
        var markdown = $$"""
            ---
            params:
              - name: service
              - name: unused
            ---
            ## Inspect

            {{Fence}}python {name=py}
            # Read the service's state.
            import os
            print(os.environ["VIGIL_PARAM_service"], "<not-a-placeholder>", "$NOT_A_VAR")
            {{Fence}}

            {{Fence}}pwsh {name=ps}
            $name = $env:VIGIL_PARAM_service
            Write-Output "$name <x>"
            {{Fence}}
            """;

        var runbook = RunbookParser.Parse(markdown, "inspect.md");
        var procedure = Assert.Single(runbook.Procedures);

        Assert.Equal(["python", "pwsh"], procedure.Steps.Select(s => s.Language));
        Assert.Equal("Read the service's state.", procedure.Steps[0].Description);
        Assert.Equal(["service", "unused"], runbook.Parameters.Select(p => p.Name));
        Assert.Equal([11, 15], runbook.FindParameter("service")!.Uses.Select(u => u.Line));
        Assert.Empty(runbook.FindParameter("unused")!.Uses);

        var plan = RunbookPlanner.Plan(runbook, null, new Dictionary<string, string> { ["service"] = "api" }, Options);
        Assert.True(plan.IsRunnable, string.Join("; ", plan.Problems.Select(p => p.Message)));
        Assert.Equal(procedure.Steps[0].Code, plan.Steps[0].Script);
        Assert.Equal("python", plan.Steps[0].Language);
        Assert.Equal("api", plan.Environment["VIGIL_PARAM_service"]);
        Assert.Equal("python3 -u -c", StepShells.CommandLine("python"));
    }

    [Fact]
    public void Lint_PythonRmtreeWithoutConfirm_IsADestructiveCommand()
    {
        var markdown = $$"""
            ## Clean

            {{Fence}}python
            import shutil
            shutil.rmtree(os.environ["VIGIL_PARAM_dir"])
            {{Fence}}
            """;

        var finding = Assert.Single(RunbookLinter.Lint(RunbookParser.Parse(markdown, "clean.md"), markdown, new LintContext(new DateOnly(2026, 12, 1), null)),
            f => f.Rule == "destructive-command");

        Assert.Equal(5, finding.Line);
        Assert.Contains("`shutil.rmtree`", finding.Message, StringComparison.Ordinal);
        Assert.Contains("```python {confirm=true}", finding.Fix, StringComparison.Ordinal);
    }
}
