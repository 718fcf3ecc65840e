using Vigil.Core.Config;
using Vigil.Core.Incidents;

namespace Vigil.Core.Tests.Config;

/// <summary>The SEV1–SEV4 preset shipped in examples/presets, included by a config that routes alerts with it.</summary>
public sealed class SeverityPresetTests
{
    [Fact]
    public void SevPreset_Included_ReplacesTheDefaultScheme_AndRoutesAlerts()
    {
        using var dir = new TempFolder();
        File.Copy(Path.Combine(RepoRoot.Find(), "examples", "presets", "severities-sev.yaml"), Path.Combine(dir.Path, "sev.yaml"));
        var path = Path.Combine(dir.Path, "vigil.yaml");
        File.WriteAllText(path, """
            include: [sev.yaml]
            vigil: { name: sev-test }
            services:
              - id: api
                severity: SEV2
                checks:
                  - { id: health, tcp: { host: 127.0.0.1, port: 9 }, every: 10s, timeout: 2s, severity: SEV1 }
            integrations:
              alertmanager:
                route: { map: { page: SEV1 }, default_severity: SEV3 }
            """);

        var result = ConfigLoader.Load(path, _ => null);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(["SEV1", "SEV2", "SEV3", "SEV4"], config.Severities.Select(s => s.Id));
        Assert.Equal(TimeSpan.FromMinutes(5), config.Severities[0].AckWithin);
        Assert.True(config.Severities[0].RequirePir);
        var policy = IncidentPolicy.FromConfig(config, File.ReadAllText);
        var route = config.Integrations.Alertmanager.Route;
        Assert.Equal("SEV1", policy.Route(route, new Dictionary<string, string> { ["severity"] = "page" }).Severity);
        Assert.Equal("SEV2", policy.Route(route, new Dictionary<string, string> { ["severity"] = "error" }).Severity);
        Assert.Equal("SEV3", policy.Route(route, new Dictionary<string, string> { ["severity"] = "whatever" }).Severity);
        Assert.Equal("SEV4", policy.Lowest.Id);
        Assert.Equal("SEV1", config.ResolveSeverity(config.Services[0], config.Services[0].Checks[0]).Id);
    }

    [Fact]
    public void SevPreset_UnknownSeverityInMap_IsAConfigError()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: x }
            severities:
              - { id: SEV1, ack_within: 5m, page: true }
              - { id: SEV2, ack_within: 30m }
            integrations:
              alertmanager:
                route: { map: { critical: P1 } }
            """);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.ToString().Contains("integrations.alertmanager.route.map", StringComparison.Ordinal) && e.ToString().Contains("P1", StringComparison.Ordinal));
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("vigil-sev-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
