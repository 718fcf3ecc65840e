using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ExampleConfigTests
{
    [Fact]
    public void Load_ExamplesConfig_IsValid()
    {
        var path = Path.Combine(RepoRoot.Find(), "examples", "config", "vigil.yaml");

        var result = ConfigLoader.Load(path, _ => null);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        // The example shows every section, including those this version accepts but does not act on yet.
        Assert.All(result.Warnings, w => Assert.Contains("is accepted but not active in this version", w.Message, StringComparison.Ordinal));
        Assert.Equal(4, result.SourceFiles.Count);
        Assert.Equal(["status-site", "edge", "orders-api", "orders-db"], result.Config!.Services.Select(s => s.Id));
    }

    [Fact]
    public void Load_DemoConfig_IsValid()
    {
        var path = Path.Combine(RepoRoot.Find(), "examples", "demo", "vigil.yaml");

        var result = ConfigLoader.Load(path, _ => null);

        Assert.True(result.Success, string.Join("\n", result.Errors));
    }

    [Fact]
    public void ConfigurationDoc_CompleteYamlExamples_AreValid()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot.Find(), "docs", "configuration.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = doc.Split("```yaml\n").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]).Where(b => b.StartsWith("vigil:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var result = ConfigLoader.LoadFromString(block, "vigil.yaml", TestEnvironment.Lookup);
            Assert.True(result.Success, block + "\n" + string.Join("\n", result.Errors));
        }
    }
}
