using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary><c>services[].rto</c> and <c>services[].rpo</c>: durations, checked with file:line errors.</summary>
public sealed class RecoveryObjectivesConfigTests
{
    [Fact]
    public void Load_RtoAndRpo_AreBoundAsDurations()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: db
                rto: 4h
                rpo: 15m
              - id: web
            """, environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(TimeSpan.FromHours(4), result.Config!.Services[0].Rto);
        Assert.Equal(TimeSpan.FromMinutes(15), result.Config.Services[0].Rpo);
        Assert.Null(result.Config.Services[1].Rto);
        Assert.Null(result.Config.Services[1].Rpo);
    }

    [Fact]
    public void Load_BadRecoveryObjectives_AreErrorsAtTheirLines()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: db
                rto: 4 hours
                rpo: 0
              - id: web
                rto: 400d
                rpo: 500ms
            """, environment: TestEnvironment.Lookup);

        Assert.False(result.Success);
        Assert.Equal(
            [("services[0].rto", 4), ("services[0].rpo", 5), ("services[1].rto", 7), ("services[1].rpo", 8)],
            result.Errors.Select(e => (e.Path, e.Line)));
        Assert.Contains("write it without a space and with a short unit: 4h", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("`rto` of service `web` must be between 1s and 366d", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("`rpo` of service `web` must be between 1s and 366d", result.Errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RecoveryObjectives_AppearInTheDigest()
    {
        const string Base = "vigil: { name: test }\nservices:\n  - id: db\n";
        var without = ConfigLoader.LoadFromString(Base, environment: TestEnvironment.Lookup);
        var with = ConfigLoader.LoadFromString(Base + "    rpo: 1h\n", environment: TestEnvironment.Lookup);

        Assert.NotEqual(without.Config!.Digest, with.Config!.Digest);
    }

    [Fact]
    public void Load_RpoWithNoBackupHeartbeat_WarnsWhereItIsWritten_AndRtoDoesNot()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: db
                rto: 4h
                rpo: 1h
              - id: files
                rpo: 1d
                checks: [{ id: backup, heartbeat: { period: 1d, backup: true } }]
            """, environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        // Drills judge against the rto now, so it is active and raises nothing.
        Assert.Equal([("services[0].rpo", 5)], result.Warnings.Select(w => (w.Path, w.Line)));
        Assert.Contains("no heartbeat check of service `db` is marked `backup: true`", result.Warnings[0].Message, StringComparison.Ordinal);
    }
}
