using Vigil.Core.Config;
using Vigil.Core.Runbooks;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>The catalog over real files in a temporary folder: ids, services, lookups, problems, and reuse while nothing changed.</summary>
public sealed class RunbookCatalogTests
{
    [Fact]
    public void Load_FindsRunbooksUnderThePaths_WithIdsServicesAndProblems()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "runbooks", "db"));
        File.WriteAllText(Path.Combine(dir.Path, "runbooks", "db", "Restore Backup.md"), "# Restore\n\n```bash\ntrue\n```\n");
        File.WriteAllText(Path.Combine(dir.Path, "runbooks", "web.md"), "---\nid: web-restart\nservice: web\n---\n# Web\n");
        var config = Load(dir, "runbooks: { paths: [runbooks/, missing/] }\nservices:\n  - { id: db, runbooks: [runbooks/db/Restore Backup.md] }\n  - { id: web }\n");

        var catalog = RunbookCatalog.Load(config);
        Assert.Equal(["db-restore-backup", "web-restart"], catalog.Entries.Select(e => e.Id).Order());
        Assert.Equal(["db"], catalog.Find("db-restore-backup")!.Services);
        Assert.Equal("web", catalog.Find("web-restart")!.Service);
        Assert.Same(catalog.Find("db-restore-backup"), catalog.Find("runbooks/db/Restore Backup.md"));
        Assert.Null(catalog.Find("../runbooks/web.md"));
        Assert.Contains(catalog.Problems, p => p.Path == "missing/" && p.Message.Contains("does not exist", StringComparison.Ordinal));
        Assert.Equal(["web-restart"], catalog.ForService("web").Select(e => e.Id));
    }

    [Fact]
    public void Load_WithThePreviousCatalog_ReusesItUntilAFileChanges()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "runbooks"));
        var file = Path.Combine(dir.Path, "runbooks", "a.md");
        File.WriteAllText(file, "# A\n\n```bash\ntrue\n```\n");
        var config = Load(dir, "runbooks: { paths: [runbooks/] }\n");

        var first = RunbookCatalog.Load(config);
        Assert.Same(first, RunbookCatalog.Load(config, first));

        File.WriteAllText(file, "# A\n\n```bash\ntrue\n```\n\n```bash\nfalse\n```\n");
        var edited = RunbookCatalog.Load(config, first);
        Assert.NotSame(first, edited);
        Assert.Equal(2, edited.Entries.Single().Runbook.Procedures.Single().Steps.Count);

        File.WriteAllText(Path.Combine(dir.Path, "runbooks", "b.md"), "# B\n");
        Assert.Equal(2, RunbookCatalog.Load(config, edited).Entries.Count);
    }

    private static VigilConfig Load(TempDirectory dir, string yaml)
    {
        var path = Path.Combine(dir.Path, "vigil.yaml");
        File.WriteAllText(path, "vigil: { name: t }\n" + yaml);
        var result = ConfigLoader.Load(path, _ => null);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
