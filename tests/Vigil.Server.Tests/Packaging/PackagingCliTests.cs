using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Packaging;

/// <summary>
/// <c>vigil completion</c> through real bash and the real vigil executable (the [suggest] directive), and
/// <c>vigil healthcheck</c> (the container image's HEALTHCHECK) against a real server.
/// </summary>
public sealed class PackagingCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Bash_completion_offers_the_subcommands_of_the_real_cli()
    {
        var script = await WriteScriptAsync("bash");

        var top = await CompleteAsync(script, "vigil ");
        Assert.Contains("serve", top);
        Assert.Contains("demo", top);
        Assert.Contains("config", top);
        Assert.Contains("completion", top);
        Assert.Contains("--version", top);

        Assert.Equal(["demo"], await CompleteAsync(script, "vigil dem"));
        Assert.Contains("validate", await CompleteAsync(script, "vigil config "));
        Assert.Equal(["bash"], await CompleteAsync(script, "vigil completion ba"));
        Assert.Contains("--listen", await CompleteAsync(script, "vigil demo --"));
    }

    [Theory]
    [InlineData("zsh", "compdef _vigil vigil")]
    [InlineData("fish", "complete -c vigil")]
    public async Task Zsh_and_fish_scripts_ask_vigil_through_the_suggest_directive(string shell, string registration)
    {
        var run = await CliRun.RunAsync(["completion", shell], _dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[suggest:", run.Out);
        Assert.Contains(registration, run.Out);
    }

    [Fact]
    public async Task An_unknown_shell_is_a_usage_error_naming_the_choices()
    {
        var run = await CliRun.RunAsync(["completion", "tcsh"], _dir.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tcsh", run.Error);
        Assert.Contains("bash", run.Error);
    }

    [Fact]
    public async Task Healthcheck_passes_on_a_running_server_and_reports_one_that_is_not_there()
    {
        await using (var server = await TestServer.StartAsync())
        {
            var url = server.Address.ToString().TrimEnd('/');
            var healthy = await CliRun.RunAsync(["healthcheck", "--server", url], _dir.Path);
            Assert.True(healthy.ExitCode == 0, healthy.ToString());
            Assert.Contains("/healthz: 200", healthy.Out);

            var ready = await CliRun.RunAsync(["healthcheck", "--ready"], _dir.Path, new Dictionary<string, string> { ["VIGIL_SERVER"] = url });
            Assert.True(ready.ExitCode == 0, ready.ToString());
            Assert.Contains("/readyz: 200", ready.Out);
        }

        var gone = await CliRun.RunAsync(["healthcheck", "--server", $"http://127.0.0.1:{ClosedPort()}", "--timeout", "2"], _dir.Path);
        Assert.Equal(3, gone.ExitCode);
        Assert.Contains("did not answer", gone.Error);
        Assert.DoesNotContain("   at ", gone.Error);
    }

    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private async Task<string> WriteScriptAsync(string shell)
    {
        // `vigil` on PATH is the real CLI of this build, as an installed tool or binary would be.
        var bin = Directory.CreateDirectory(_dir.File("bin")).FullName;
        var wrapper = Path.Combine(bin, "vigil");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "vigil.dll")}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await CliRun.RunAsync(["completion", shell], _dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        var script = _dir.File($"vigil.{shell}");
        await File.WriteAllTextAsync(script, run.Out);
        return script;
    }

    /// <summary>Sets up bash's completion variables as readline would for <paramref name="line"/> (cursor at the end) and calls the function.</summary>
    private async Task<string[]> CompleteAsync(string script, string line)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            source "$1"
            COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _vigil_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """);
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(line);
        start.Environment["PATH"] = $"{_dir.File("bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"bash exited {process.ExitCode}: {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
