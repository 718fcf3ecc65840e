using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigIncludeTests
{
    [Fact]
    public void Load_Includes_ConcatenatesListSectionsInReadOrder()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", """
            vigil: { name: test }
            include: [people.yaml, services.yaml]
            services:
              - id: root-service
            """);
        var people = dir.Write("people.yaml", "people:\n  - { id: alice }\n  - { id: bob }\n");
        var services = dir.Write("services.yaml", "services:\n  - { id: api, depends_on: [root-service] }\npeople:\n  - { id: carol }\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(["root-service", "api"], result.Config!.Services.Select(s => s.Id));
        Assert.Equal(["alice", "bob", "carol"], result.Config.People.Select(p => p.Id));
        Assert.Equal([root, people, services], result.SourceFiles);
    }

    [Fact]
    public void Load_GlobInclude_LoadsMatchingFilesInNameOrder()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [\"services/*.yaml\"]\n");
        var b = dir.Write("services/b.yaml", "services: [{ id: b }]\n");
        var a = dir.Write("services/a.yaml", "services: [{ id: a }]\n");
        dir.Write("services/notes.txt", "not yaml: [");
        var c = dir.Write("services/c.yaml", "services: [{ id: c, depends_on: [a] }]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(["a", "b", "c"], result.Config!.Services.Select(s => s.Id));
        Assert.Equal([root, a, b, c], result.SourceFiles);
    }

    [Fact]
    public void Load_NestedInclude_ResolvesRelativeToIncludingFile()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [teams/platform/team.yaml]\n");
        var team = dir.Write("teams/platform/team.yaml", "include: [checks/api.yaml]\npeople: [{ id: alice }]\n");
        var api = dir.Write("teams/platform/checks/api.yaml", "services: [{ id: api, owner: platform }]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal([root, team, api], result.SourceFiles);
        Assert.Equal("platform", result.Config!.Services[0].Owner);
        Assert.Equal(dir.Path, result.Config.BaseDirectory);
    }

    [Fact]
    public void Load_MappingSectionInIncludedFile_IsUsedOnce()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "include: [base.yaml]\nservices: [{ id: api }]\n");
        dir.Write("base.yaml", "vigil: { name: from-include }\nrunbooks: { paths: [ops/runbooks/] }\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("from-include", result.Config!.Vigil.Name);
        Assert.Equal(["ops/runbooks/"], result.Config.Runbooks.Paths);
    }

    [Fact]
    public void Load_SplitIntoIncludes_HasSameDigestAsSingleFile()
    {
        using var dir = new TempDirectory();
        var single = dir.Write("single.yaml", "vigil: { name: test }\nservices: [{ id: a }, { id: b }]\npeople: [{ id: alice }]\n");
        var split = dir.Write("split.yaml", "vigil: { name: test }\ninclude: [split-b.yaml]\nservices: [{ id: a }]\n");
        dir.Write("split-b.yaml", "people: [{ id: alice }]\nservices: [{ id: b }]\n");

        var one = ConfigLoader.Load(single, TestEnvironment.Lookup);
        var two = ConfigLoader.Load(split, TestEnvironment.Lookup);

        Assert.True(one.Success && two.Success, string.Join("\n", one.Errors.Concat(two.Errors)));
        Assert.Equal(one.Config!.Digest, two.Config!.Digest);
    }

    [Fact]
    public void Load_ErrorInIncludedFile_PointsAtThatFile()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [services.yaml]\n");
        dir.Write("services.yaml", "# services\nservices:\n  - id: api\n    every: 10s\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(Path.Combine(dir.Path, "services.yaml"), error.File);
        Assert.Equal((4, 5, "services[0].every"), (error.Line, error.Column, error.Path));
        Assert.Equal([root, Path.Combine(dir.Path, "services.yaml")], result.SourceFiles);
    }

    [Fact]
    public void Load_RelativeRootPath_ShowsIncludesRelativeToIt()
    {
        using var dir = new TempDirectory();
        dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [more/services.yaml]\n");
        dir.Write("more/services.yaml", "services:\n  - { id: api, public: perhaps }\n");
        var relativeRoot = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(dir.Path, "vigil.yaml"));

        var result = ConfigLoader.Load(relativeRoot, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(relativeRoot)!, "more", "services.yaml"), error.File);
    }

    [Fact]
    public void Load_IncludeCycle_ShowsChainAndKeepsLoadingOtherFiles()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [a.yaml]\n");
        dir.Write("a.yaml", "include: [vigil.yaml]\nservices: [{ id: api, publik: true }]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.Contains(result.Errors, e => e.Message.StartsWith("include cycle: vigil.yaml → a.yaml → vigil.yaml", StringComparison.Ordinal) && e.Line == 1);
        Assert.Contains(result.Errors, e => e.Message.Contains("did you mean `public`?", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SameFileIncludedTwice_IsAnError()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [a.yaml, b.yaml]\n");
        dir.Write("a.yaml", "include: [common.yaml]\n");
        dir.Write("b.yaml", "include: [common.yaml]\n");
        dir.Write("common.yaml", "people: [{ id: alice }]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        var error = Assert.Single(result.Errors);
        Assert.Contains("`common.yaml` is already included (from a.yaml)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("b.yaml", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GlobMatchingNothing_LoadsWithWarning()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [\"conf.d/*.yaml\"]\n");
        Directory.CreateDirectory(Path.Combine(dir.Path, "conf.d"));

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success);
        Assert.Contains("matched no files", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GlobInFolderPart_IsAnError()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [\"*/services.yaml\"]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.Contains("wildcards are allowed only in the file name", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludePathFromEnvironment_IsExpanded()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test }\ninclude: [\"${STAGE:-dev}.yaml\"]\n");
        dir.Write("prod.yaml", "services: [{ id: prod-only }]\n");

        var result = ConfigLoader.Load(root, TestEnvironment.With(("STAGE", "prod")));

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("prod-only", Assert.Single(result.Config!.Services).Id);
    }

    [Fact]
    public void Load_SyntaxErrorInIncludedFile_StillReportsErrorsElsewhere()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", "vigil: { name: test, environment: qa }\ninclude: [broken.yaml]\n");
        dir.Write("broken.yaml", "services:\n  - id: [api\n");

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("vigil.environment", result.Errors[0].Path, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.EndsWith("broken.yaml", result.Errors[1].File, StringComparison.Ordinal);
    }
}
