using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigDriftTests
{
    private const string Running = """
        vigil: { name: drift }
        services:
          - id: api
            checks:
              - { id: health, every: 10s, http: { url: "http://127.0.0.1:1/health" } }
          - id: web
        notifiers:
          - id: hook
            webhook: { url: "http://127.0.0.1:1/hook", secret: "s3cret-value-1" }
        """;

    private static IReadOnlyDictionary<string, string> Sections(string yaml)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return ConfigDigest.Sections(result.Config!);
    }

    [Fact]
    public void Sections_SameConfigReformatted_AreEqualAndNoDrift()
    {
        var reordered = """
            notifiers:
              - webhook: { secret: "s3cret-value-1", url: "http://127.0.0.1:1/hook" }
                id: hook
            services:
              - id: api
                checks:
                  - { every: 10s, id: health, http: { url: "http://127.0.0.1:1/health" } }   # same check
              - id: web
            vigil: { name: drift }
            """;

        Assert.Equal(Sections(Running), Sections(reordered));
        Assert.Empty(ConfigDrift.Compare(Sections(reordered), Sections(Running)));
    }

    [Fact]
    public void Sections_NameSectionsAndIdEntries_WithoutSecretText()
    {
        var sections = Sections(Running);

        Assert.Contains("services", sections.Keys);
        Assert.Contains("services/api", sections.Keys);
        Assert.Contains("services/web", sections.Keys);
        Assert.Contains("notifiers/hook", sections.Keys);
        Assert.All(sections.Values, d => Assert.Matches("^sha256:[0-9a-f]{64}$", d));
        Assert.DoesNotContain(sections, kv => kv.Key.Contains("s3cret", StringComparison.Ordinal) || kv.Value.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_ChangedAddedAndRemoved_NamesSectionsThenEntries()
    {
        var file = """
            vigil: { name: drift }
            services:
              - id: api
                checks:
                  - { id: health, every: 30s, http: { url: "http://127.0.0.1:1/health" } }
              - id: db
            maintenance:
              - { id: patching, cron: "0 2 * * SUN", duration: 2h, services: ["*"] }
            """;

        var drift = ConfigDrift.Compare(Sections(file), Sections(Running));

        Assert.Equal(
        [
            new ConfigSectionDrift("maintenance", ConfigDriftKind.Added),
            new ConfigSectionDrift("notifiers", ConfigDriftKind.Removed),
            new ConfigSectionDrift("services", ConfigDriftKind.Changed),
            new ConfigSectionDrift("services/api", ConfigDriftKind.Changed),
            new ConfigSectionDrift("services/db", ConfigDriftKind.Added),
            new ConfigSectionDrift("services/web", ConfigDriftKind.Removed),
        ], drift);
    }

    [Fact]
    public void Compare_OnlyASecretChanged_NamesItsEntry()
    {
        var file = Running.Replace("s3cret-value-1", "s3cret-value-2", StringComparison.Ordinal);

        var drift = ConfigDrift.Compare(Sections(file), Sections(Running));

        Assert.Equal([new ConfigSectionDrift("notifiers", ConfigDriftKind.Changed), new ConfigSectionDrift("notifiers/hook", ConfigDriftKind.Changed)], drift);
    }

    [Fact]
    public void Compare_PlainDictionaries_UsesOnlyTheDigests()
    {
        var file = new Dictionary<string, string> { ["vigil"] = "sha256:1", ["people"] = "sha256:2", ["people/alice"] = "sha256:3" };
        var running = new Dictionary<string, string> { ["vigil"] = "sha256:1", ["people"] = "sha256:9", ["people/alice"] = "sha256:3", ["people/bob"] = "sha256:4" };

        Assert.Equal([new ConfigSectionDrift("people", ConfigDriftKind.Changed), new ConfigSectionDrift("people/bob", ConfigDriftKind.Removed)],
            ConfigDrift.Compare(file, running));
    }
}
