using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary>The warnings docs/configuration.md promises: literal secrets, empty include globs, and sections that are accepted but not active.</summary>
public sealed class ConfigWarningsTests
{
    [Fact]
    public void Load_InactiveSections_WarnWhereTheyAreWritten_AndStillLoad()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: web
                public: true
                checks: [{ id: up, tcp: { host: localhost, port: 80 } }]
                slo: { availability: 99.9%, window: 30d }
            """, environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(
            [("services[0].slo", 6)],
            result.Warnings.Select(w => (w.Path, w.Line)));
        Assert.Contains("`slo` is deprecated", result.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(result.Warnings, result.Config!.Warnings);
    }

    [Fact]
    public void Load_DefaultsAlone_DoNotWarn()
    {
        var result = ConfigLoader.LoadFromString("vigil: { name: test }\nservices:\n  - { id: web, public: false }\n", environment: TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_LiteralSecretAndEmptyGlob_Warn()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", """
            vigil: { name: test }
            include: ["extra/*.yaml"]
            notifiers:
              - id: chat
                slack: { webhook_url: "https://hooks.slack.com/services/T0/B0/abcdef" }
            """);
        Directory.CreateDirectory(Path.Combine(dir.Path, "extra"));

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Contains(result.Warnings, w => w.Path == "include[0]" && w.Message.Contains("matched no files", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "notifiers[0].slack.webhook_url" && w.Message.Contains("secret written literally", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, w => w.ToString().Contains("abcdef", StringComparison.Ordinal));
    }
}
