using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookTemplatesTests
{
    [Theory]
    [InlineData("Rotate API keys", "Rotate API Keys")]
    [InlineData("rotate-api-keys", "Rotate API Keys")]
    [InlineData("restart dns and tls", "Restart DNS And TLS")]
    [InlineData("Api gateway", "Api Gateway")]
    [InlineData("fix_OOMKilled pods", "Fix OOMKilled Pods")]
    public void Title_KeepsAcronyms(string name, string title) => Assert.Equal(title, RunbookTemplates.Title(name));

    [Fact]
    public void Fill_ReplacesKnownPlaceholders_WithOrWithoutSpaces_AndLeavesOthers()
    {
        var text = RunbookTemplates.Fill("# {{name}} on {{ service }} ({{date}}) {{unknown}} <id> ${{x}}",
            new Dictionary<string, string> { ["name"] = "Rotate API keys", ["service"] = "api", ["date"] = "2026-12-06" });

        Assert.Equal("# Rotate API keys on api (2026-12-06) {{unknown}} <id> ${{x}}", text);
    }

    [Fact]
    public void AddIndexRow_AppendsToTheFirstTable_ByColumnName_AndKeepsTheRest()
    {
        var index = """
            # Runbooks

            | Runbook | Service | Owner | Notes |
            |---|---|---|---|
            | [Restart](restart.md) | web | platform | old |

            Some prose.

            | other | table |
            |---|---|
            """;

        var updated = RunbookTemplates.AddIndexRow(index,
            new Dictionary<string, string> { ["title"] = "Rotate API Keys", ["service"] = "api", ["owner"] = "team|a" }, "rotate-api-keys.md")!;

        var lines = updated.Split('\n');
        Assert.Equal("| [Rotate API Keys](rotate-api-keys.md) | api | team\\|a |  |", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Equal(index.Split('\n').Length + 1, lines.Length);
    }

    [Fact]
    public void AddIndexRow_NoTable_IsNull()
    {
        Assert.Null(RunbookTemplates.AddIndexRow("# Runbooks\n\n| not a table header only |\n", new Dictionary<string, string>(), "x.md"));
    }
}
