using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigErrorTests
{
    [Fact]
    public void BrokenConfigCases_Count_IsAtLeastThirtyFive()
    {
        Assert.True(BrokenConfigCases.All.Count >= 35, $"only {BrokenConfigCases.All.Count} cases");
    }

    [Theory]
    [MemberData(nameof(BrokenConfigCases.Names), MemberType = typeof(BrokenConfigCases))]
    public void Load_BrokenConfig_ReportsErrorWithLineAndPath(string name)
    {
        var broken = BrokenConfigCases.All[name];
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", broken.Yaml);
        foreach (var (file, text) in broken.Files ?? new Dictionary<string, string>())
        {
            dir.Write(file, text);
        }

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.False(result.Success);
        Assert.Null(result.Config);
        var all = string.Join("\n", result.Errors);
        var error = result.Errors.FirstOrDefault(e => e.Message.Contains(broken.Fragment, StringComparison.Ordinal));
        Assert.True(error is not null, $"no error contains \"{broken.Fragment}\"; got:\n{all}");
        Assert.True(broken.Line == error.Line, $"expected line {broken.Line}, got {error}");
        Assert.True(broken.Path == error.Path, $"expected path `{broken.Path}`, got {error}");
        Assert.EndsWith(broken.File, error.File, StringComparison.Ordinal);
        Assert.True(error.Column >= 1, $"column must be 1-based: {error}");
    }

    [Fact]
    public void Load_SeveralErrors_ReportsAllOfThem()
    {
        const string yaml = """
            vigil:
              name: test
              environment: prod
            services:
              - id: api
                depends_on: [nope]
                checks:
                  - id: health
                    http: { url: "not a url" }
                    evry: 10s
                    severity: P7
              - id: api
            schedules:
              - id: primary
                timezone: Mars/Olympus
                layers:
                  - { members: [ghost] }
            """;

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);

        Assert.False(result.Success);
        var lines = result.Errors.Select(e => (e.Line, e.Path)).ToList();
        Assert.Contains((3, "vigil.environment"), lines);
        Assert.Contains((6, "services[0].depends_on[0]"), lines);
        Assert.Contains((9, "services[0].checks[0].http.url"), lines);
        Assert.Contains((10, "services[0].checks[0].evry"), lines);
        Assert.Contains((11, "services[0].checks[0].severity"), lines);
        Assert.Contains((12, "services[1].id"), lines);
        Assert.Contains((15, "schedules[0].timezone"), lines);
        Assert.Contains((17, "schedules[0].layers[0].members[0]"), lines);
        Assert.Equal(8, result.Errors.Count);
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList(), result.Errors);
    }

    [Fact]
    public void Load_ErrorsAcrossFiles_AreOrderedByFileThenLine()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil:\n  name: test\ninclude: [more.yaml]\nservices:\n  - { id: a, public: maybe }\n");
        dir.Write("more.yaml", "services:\n  - { id: b, owner: [x] }\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.Equal(2, result.Errors.Count);
        Assert.EndsWith("vigil.yaml", result.Errors[0].File, StringComparison.Ordinal);
        Assert.Equal("services[0].public", result.Errors[0].Path);
        Assert.EndsWith("more.yaml", result.Errors[1].File, StringComparison.Ordinal);
        Assert.Equal("services[1].owner", result.Errors[1].Path);
        Assert.Equal(2, result.Errors[1].Line);
    }

    [Fact]
    public void ToString_ErrorWithPath_RendersFileLineColumnPathMessage()
    {
        var error = new ConfigError("conf/vigil.yaml", 12, 7, "services[0].checks[1].every", "invalid duration `5x`");

        Assert.Equal("conf/vigil.yaml:12:7: services[0].checks[1].every: invalid duration `5x`", error.ToString());
    }

    [Fact]
    public void ToString_ErrorWithoutPath_RendersFileLineColumnMessage()
    {
        var error = new ConfigError("vigil.yaml", 3, 1, string.Empty, "tab character in indentation");

        Assert.Equal("vigil.yaml:3:1: tab character in indentation", error.ToString());
    }

    [Fact]
    public void Load_MissingRootFile_ReportsNotFound()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "nope.yaml");

        var result = ConfigLoader.Load(path, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.SourceFiles);
    }

    [Fact]
    public void Load_ErrorFromEnvValue_DoesNotEchoTheValue()
    {
        const string yaml = """
            vigil:
              name: test
            notifiers:
              - id: slack
                slack: { webhook_url: "${SLACK_WEBHOOK_URL}" }
            """;

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.With(("SLACK_WEBHOOK_URL", "not-a-url-but-secret")));

        var error = Assert.Single(result.Errors);
        Assert.Contains("the value of `${SLACK_WEBHOOK_URL}`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-url-but-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyFarFromAnyKnownKey_ListsValidKeys()
    {
        const string yaml = """
            vigil:
              name: test
              zzzzzz: 1
            """;

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("valid keys here: name, environment, store, listen, public_url, data_dir, max_request_body_bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromString_DeeplyNestedYaml_FailsWithoutCrashing()
    {
        var yaml = "vigil: { name: test }\nx-deep: " + new string('[', 200_000) + new string(']', 200_000) + "\n";

        var result = ConfigLoader.LoadFromString(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Contains("nest more than 64 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\0name.yaml")]
    public void Load_InvalidRootPath_ReportsErrorInsteadOfThrowing(string path)
    {
        var result = ConfigLoader.Load(path);

        Assert.False(result.Success);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void LoadFromString_LongDependencyChainWithCycle_ReportsCycleOnce()
    {
        const int count = 20_000;
        var sb = new System.Text.StringBuilder("vigil: { name: test }\nservices:\n");
        for (var i = 0; i < count; i++)
        {
            sb.Append($"  - {{ id: s{i}, depends_on: [s{(i + 1) % count}] }}\n");
        }

        var result = ConfigLoader.LoadFromString(sb.ToString());

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("dependency cycle: s0 → s1 → s2", error.Message, StringComparison.Ordinal);
        Assert.Equal($"services[{count - 1}].depends_on[0]", error.Path);
    }

    [Fact]
    public void Load_AliasBomb_StopsAtTheNodeBudget()
    {
        // Three levels of 100-200 aliases expand to millions of values from a few kilobytes.
        var yaml = "vigil: { name: test }\n"
            + "x-j: &j { path: $.a, equals: b }\n"
            + "x-c: &c { id: c, http: { url: \"http://localhost\", json: [" + string.Join(", ", Enumerable.Repeat("*j", 200)) + "] } }\n"
            + "x-s: &s { id: s, checks: [" + string.Join(", ", Enumerable.Repeat("*c", 100)) + "] }\n"
            + "services: [" + string.Join(", ", Enumerable.Repeat("*s", 100)) + "]\n";

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);

        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Message.Contains("expands to more than", StringComparison.Ordinal));
    }
}
