using System.Diagnostics;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>
/// Hostile parameter values against real bash: rejected by the default pattern, and inert when a runbook allows
/// anything. Each test runs in a fresh temp folder with HOME pointing at a subfolder holding a marker file.
/// </summary>
public sealed class RunbookPlanInjectionTests : IDisposable
{
    private const string Fence = "```";

    private static readonly RunbookPlanOptions Options = new("^[A-Za-z0-9._:/@+=-]{1,256}$", TimeSpan.FromMinutes(1));

    private readonly string _root = Directory.CreateTempSubdirectory("vigil-plan-").FullName;
    private readonly string _work;
    private readonly string _home;

    public RunbookPlanInjectionTests()
    {
        _work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        _home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        File.WriteAllText(Path.Combine(_home, "marker"), "still here");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] HostileValues =
    [
        "x; rm -rf \"$HOME\"",
        "$(touch pwned)",
        "`touch pwned`",
        "\ntouch pwned",
        "' ; touch pwned; '",
        "\" ; touch pwned; \"",
    ];

    public static TheoryData<string> Hostile => new(HostileValues);

    public static TheoryData<string> HostileAndForce => new(["--force", .. HostileValues]);

    // Every quoting context a placeholder can sit in, plus $VAR in the author's own quoting.
    private static readonly string Permissive = $$"""
        ---
        params:
          - name: arg
            pattern: '[\s\S]*'
          - name: ARG
            pattern: '[\s\S]*'
        ---
        ## Echo
        {{Fence}}bash
        echo "value: <arg>" ; printf '%s' <arg> > out.txt
        printf '%s' "<arg>" > double.txt
        printf '%s' 'before <arg> after' > single.txt
        printf '%s' $'<arg>\t' > ansi.txt
        printf '%s' "$(printf '%s' <arg>)" > substituted.txt
        cat > heredoc.txt <<EOF
        <arg>
        EOF
        printf '%s' "$ARG" > var.txt
        printf '%s' "${ARG:-unset}" > var-default.txt
        printf '%s' '['$ARG']' > var-unquoted.txt
        echo unquoted $ARG ${ARG}
        {{Fence}}
        """;

    private static readonly string Strict = $$"""
        ## Echo
        {{Fence}}bash
        printf '[%s]\n' <arg> "$ARG"
        {{Fence}}
        """;

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Plan_HostileValueWithDefaultPattern_IsRejected(string value)
    {
        var plan = RunbookPlanner.Plan(RunbookParser.Parse(Strict, "strict.md"), null,
            new Dictionary<string, string> { ["arg"] = value, ["ARG"] = value }, Options);

        Assert.False(plan.IsRunnable);
        Assert.Equal(["arg", "ARG"], plan.Problems.Select(p => p.Parameter));
        Assert.All(plan.Problems, p => Assert.Contains("does not match the default pattern", p.Message));
        Assert.Empty(plan.Environment);
    }

    [Fact]
    public async Task Run_ForceWithDefaultPattern_ArrivesAsOneLiteralArgument()
    {
        var plan = RunbookPlanner.Plan(RunbookParser.Parse(Strict, "strict.md"), null,
            new Dictionary<string, string> { ["arg"] = "--force", ["ARG"] = "--force" }, Options);
        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));

        var (exit, stdout, stderr) = await RunAsync(Assert.Single(plan.Steps).Script, plan.Environment);

        Assert.Equal(0, exit);
        Assert.Equal("[--force]\n[--force]\n", stdout);
        Assert.Equal("", stderr);
    }

    [Theory]
    [MemberData(nameof(HostileAndForce))]
    public async Task Run_HostileValueWithPermissivePattern_IsPassedInert(string value)
    {
        var plan = RunbookPlanner.Plan(RunbookParser.Parse(Permissive, "permissive.md"), null,
            new Dictionary<string, string> { ["arg"] = value, ["ARG"] = value }, Options);
        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        var step = Assert.Single(plan.Steps);
        Assert.DoesNotContain("<arg>", step.Script);

        var (exit, stdout, stderr) = await RunAsync(step.Script, plan.Environment);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.StartsWith($"value: {value}\n", stdout);
        Assert.Equal(value, Read("out.txt"));
        Assert.Equal(value, Read("double.txt"));
        Assert.Equal($"before {value} after", Read("single.txt"));
        Assert.Equal(value + "\t", Read("ansi.txt"));
        Assert.Equal(value, Read("substituted.txt"));
        Assert.Equal(value + "\n", Read("heredoc.txt"));
        Assert.Equal(value, Read("var.txt"));
        Assert.Equal(value, Read("var-default.txt"));
        Assert.Contains("[", Read("var-unquoted.txt")); // word-split, but still data
        AssertNothingInjected();
    }

    [Fact]
    public void Plan_ScriptIsTheSameWhateverTheValues()
    {
        var runbook = RunbookParser.Parse(Permissive, "permissive.md");

        var scripts = HostileValues.Append("--force")
            .Select(v => RunbookPlanner.Plan(runbook, null, new Dictionary<string, string> { ["arg"] = v, ["ARG"] = v }, Options))
            .Select(p => Assert.Single(p.Steps).Script)
            .Distinct()
            .ToList();

        Assert.Single(scripts);
    }

    private string Read(string file) => File.ReadAllText(Path.Combine(_work, file));

    private void AssertNothingInjected()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root, "pwned", SearchOption.AllDirectories));
        var marker = Path.Combine(_home, "marker");
        Assert.True(File.Exists(marker), "HOME lost its marker file");
        Assert.Equal("still here", File.ReadAllText(marker));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = _work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-o", "pipefail", "-e", "-c", script })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _home;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
