using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Runbooks;

/// <summary><c>vigil runbook new --template FILE|NAME</c> on temp folders, with no server: the team's templates and the catalog's index.</summary>
public sealed class RunbookTemplateCliTests
{
    private const string Team = """
        ---
        id: {{id}}
        title: {{title}}
        service: {{service}}
        owner: payments
        last_reviewed: {{date}}
        ---

        # {{title}}

        Written for {{name}}.

        ## Check

        ```bash {name=check}
        curl -fsS http://127.0.0.1:8080/health
        ```
        """;

    [Fact]
    public async Task New_FromTheTeamsTemplate_FillsPlaceholders_KeepsAcronyms_AndAddsTheIndexRow()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        Directory.CreateDirectory(dir.File("templates"));
        await File.WriteAllTextAsync(dir.File("templates/check.md"), Team);
        await File.WriteAllTextAsync(dir.File("runbooks/README.md"), "# Runbooks\n\n| Title | Service | Owner |\n|---|---|---|\n| [Old](old.md) | web | platform |\n");
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), """
            vigil: { name: t }
            services: [{ id: api }]
            runbooks:
              paths: [runbooks/]
              templates: { check: templates/check.md }
              index: runbooks/README.md
            """);

        var created = await CliRun.RunAsync(["runbook", "new", "Check API health", "--template", "check", "--service", "api"], dir.Path);

        Assert.True(created.ExitCode == 0, created.ToString());
        var text = await File.ReadAllTextAsync(dir.File("runbooks/check-api-health.md"));
        Assert.Contains("id: check-api-health\ntitle: Check API Health\nservice: api\n", text, StringComparison.Ordinal);
        Assert.Contains("Written for Check API health.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.Matches(@"last_reviewed: \d{4}-\d{2}-\d{2}", text);
        var index = await File.ReadAllTextAsync(dir.File("runbooks/README.md"));
        Assert.Contains("| [Old](old.md) | web | platform |\n| [Check API Health](check-api-health.md) | api | payments |", index, StringComparison.Ordinal);
        Assert.Contains("Added it to the index", created.Out, StringComparison.Ordinal);
        var lint = await CliRun.RunAsync(["runbook", "lint", "runbooks/check-api-health.md"], dir.Path);
        Assert.True(lint.ExitCode == 0, lint.ToString());
    }

    [Fact]
    public async Task New_FromAnyMarkdownFile_AndUnknownOrMissingTemplates_AreClearErrors()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("mine.md"), Team);
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), """
            vigil: { name: t }
            runbooks:
              paths: [./]
              templates: { gone: templates/none.md }
            """);

        var fromFile = await CliRun.RunAsync(["runbook", "new", "dns flush", "--template", "mine.md"], dir.Path);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Contains("title: DNS Flush\nservice: my-service\n", await File.ReadAllTextAsync(dir.File("dns-flush.md")), StringComparison.Ordinal);

        var missing = await CliRun.RunAsync(["runbook", "new", "x", "--template", "gone"], dir.Path);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("runbooks.templates.gone names", missing.Error, StringComparison.Ordinal);
        var unknown = await CliRun.RunAsync(["runbook", "new", "x", "--template", "nope"], dir.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("not one of the config's runbooks.templates (gone)", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("blue-green", unknown.Error, StringComparison.Ordinal);
    }
}
