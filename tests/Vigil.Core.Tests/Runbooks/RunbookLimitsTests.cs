using Vigil.Core.Config;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>Durations that would overflow .NET timers (or are plainly typos) are refused where they are written.</summary>
public sealed class RunbookLimitsTests
{
    [Fact]
    public void StepTimeout_OverADay_IsADiagnostic_AndTheDefaultApplies()
    {
        var runbook = RunbookParser.Parse("# R\n\n```bash {timeout=2000h}\ntrue\n```\n\n```bash {timeout=24h}\ntrue\n```\n", "r.md");
        var steps = runbook.Procedures.Single().Steps;
        Assert.Null(steps[0].Timeout);
        Assert.Equal(TimeSpan.FromHours(24), steps[1].Timeout);
        var diagnostic = Assert.Single(runbook.Diagnostics);
        Assert.Contains("at most 24h", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(3, diagnostic.Line);
    }

    [Theory]
    [InlineData("default_timeout: 48h", "default_timeout")]
    [InlineData("approval_ttl: 30d", "approval_ttl")]
    [InlineData("confirm_timeout: 2d", "confirm_timeout")]
    [InlineData("kill_grace: 1h", "kill_grace")]
    public void RunbookTimers_OverTheirLimit_AreConfigErrors(string line, string key)
    {
        var result = ConfigLoader.LoadFromString($"vigil: {{ name: t }}\nrunbooks:\n  {line}\n");
        var error = Assert.Single(result.Errors);
        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("the most allowed is", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunbookTimers_AtTheirLimits_AreValid()
    {
        var result = ConfigLoader.LoadFromString("vigil: { name: t }\nrunbooks: { default_timeout: 24h, approval_ttl: 7d, confirm_timeout: 1d, kill_grace: 10m }\n");
        Assert.True(result.Success, string.Join("\n", result.Errors));
    }
}
