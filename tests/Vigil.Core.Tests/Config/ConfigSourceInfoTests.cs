using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigSourceInfoTests
{
    private static ConfigSourceInfo Sources()
    {
        var sources = new ConfigSourceInfo(new SourceLocation("vigil.yaml", 1, 1));
        sources.Locations["services"] = new SourceLocation("vigil.yaml", 3, 1);
        sources.Locations["services[0]"] = new SourceLocation("vigil.yaml", 4, 5);
        sources.Locations["services[0].checks[1].runbook"] = new SourceLocation("checks/api.yaml", 12, 18);
        return sources;
    }

    [Theory]
    [InlineData("services[0].checks[1].runbook", "checks/api.yaml", 12, 18)]
    [InlineData("services[0].checks[1].every", "vigil.yaml", 4, 5)] // not written: its nearest written ancestor
    [InlineData("services[1]", "vigil.yaml", 3, 1)]
    [InlineData("people[0]", "vigil.yaml", 1, 1)] // nothing above it: the root
    public void Find_SealedOrNot_GivesTheSameLocation(string path, string file, int line, int column)
    {
        var open = Sources();
        var sealedSources = Sources();
        sealedSources.Seal();

        Assert.Equal(new SourceLocation(file, line, column), open.Find(path));
        Assert.Equal(new SourceLocation(file, line, column), sealedSources.Find(path));
        Assert.Empty(sealedSources.Locations);
    }

    [Fact]
    public void IsSet_AfterSeal_StillAnswersForWrittenPathsOnly()
    {
        var sources = Sources();
        sources.Seal();

        Assert.True(sources.IsSet("services[0]"));
        Assert.False(sources.IsSet("services[0].checks[1]"));
    }

    [Fact]
    public void LoadedConfig_IsSealed_AndStillLocatesItsValues()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("vigil.yaml", """
            vigil:
              name: t
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "http://127.0.0.1:9/health" }
                    runbook: runbooks/missing.md
            """);

        var loaded = ConfigLoader.Load(path, _ => null);

        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        Assert.Empty(loaded.Config!.Source!.Locations);
        Assert.Equal(8, loaded.Config.Source.Find("services[0].checks[0].runbook").Line);
    }
}
