using System.Diagnostics;

namespace Vigil.Server.Tests.Support;

/// <summary>What a real third-party program (promtool, amtool, …) printed and returned.</summary>
internal sealed record ToolRun(int Code, string Out, string Err)
{
    public string Output => Out + Err;

    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs a real program from Debian's packages as a child process; arguments go as an argv list, never through a shell.</summary>
internal static class ExternalTool
{
    public static async Task<ToolRun> RunAsync(string file, params string[] args)
    {
        Assert.True(File.Exists(file), $"{file} is missing: install its Debian package (.ci/run does); tests that drive it never skip.");
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
