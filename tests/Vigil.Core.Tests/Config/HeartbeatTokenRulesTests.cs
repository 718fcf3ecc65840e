using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class HeartbeatTokenRulesTests
{
    [Fact]
    public void Load_TwoChecksWithTheSameHeartbeatToken_IsAnErrorNamingBothChecks()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", """
            vigil: { name: test }
            include: [jobs.yaml]
            services:
              - id: db
                checks:
                  - { id: backup, heartbeat: { period: 1d, token: shared-0123456789abcdef } }
            """);
        dir.Write("jobs.yaml", """
            services:
              - id: jobs
                checks:
                  - id: nightly
                    heartbeat: { period: 1d, token: shared-0123456789abcdef }
            """);

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.EndsWith("jobs.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(5, error.Line);
        Assert.Equal("services[1].checks[0].heartbeat.token", error.Path);
        Assert.Contains("`jobs/nightly`", error.Message, StringComparison.Ordinal);
        Assert.Contains("`db/backup` (vigil.yaml:6)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shared-0123456789abcdef", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortHeartbeatToken_IsAnErrorWithTheMinimum()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: jobs
                checks:
                  - { id: nightly, heartbeat: { period: 1d, token: abc123 } }
            """, environment: TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains("6 characters long; use at least 16", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", error.Message, StringComparison.Ordinal);
    }
}
