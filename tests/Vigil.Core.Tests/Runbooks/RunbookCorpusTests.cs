using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookCorpusTests
{
    private static Runbook Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Runbooks", "Corpus", file);
        return RunbookParser.Parse(File.ReadAllText(path), path);
    }

    private static string[] Titles(Runbook r) => r.Procedures.Select(p => p.Title).ToArray();

    [Theory]
    [InlineData("bizra-operations-runbook.md")]
    [InlineData("blux-operations.md")]
    [InlineData("grahmos-operations-runbook.md")]
    [InlineData("oneiric-runbooks.md")]
    [InlineData("operations-index-template.md")]
    public void Every_corpus_runbook_parses_without_diagnostics_and_with_unique_slugs(string file)
    {
        var r = Load(file);
        Assert.Empty(r.Diagnostics);
        Assert.Equal(r.Procedures.Count, r.Procedures.Select(p => p.Slug).Distinct().Count());
        Assert.All(r.Procedures.SelectMany(p => p.Steps), s => Assert.Contains(s.Language, new[] { "bash", "sh", "shell", "console" }));
    }

    [Fact]
    public void Bizra_headings_with_bash_blocks_are_procedures_and_other_fences_are_documentation()
    {
        var r = Load("bizra-operations-runbook.md");

        Assert.Equal(18, r.Procedures.Count);
        var titles = Titles(r);
        Assert.Contains("Manual Deployment", titles);
        Assert.Contains("Rollback Procedure", titles);
        Assert.DoesNotContain("Prometheus Queries", titles);   // promql
        Assert.DoesNotContain("Alert Configuration", titles);  // yaml
        Assert.DoesNotContain("SEV1 - System Down", titles);   // markdown checklist
        Assert.DoesNotContain("Architecture Components", titles); // bare fence with box art
        Assert.DoesNotContain("Key Metrics", titles);          // table only

        var fixes = r.FindProcedure("common-issue-quick-fixes")!;
        Assert.Equal(4, fixes.Level);
        Assert.Equal(["6. Incident Response", "Incident Response Checklist"], fixes.Group.Skip(1));
        Assert.Equal(3, fixes.Steps.Count);
        Assert.Equal([1, 2, 3], fixes.Steps.Select(s => s.Index));
        Assert.Equal(322, fixes.Steps[0].Line);
        Assert.StartsWith("Get pod details", fixes.Steps[0].Description);

        Assert.Equal(2, r.FindProcedure("Recovery Procedures")!.Steps.Count);

        var manual = r.FindProcedure("manual-deployment")!;
        Assert.Single(manual.Steps);
        Assert.Equal(130, manual.Steps[0].Line);
        Assert.Contains("kubectl rollout status deployment/bizra-api", manual.Steps[0].Code);
    }

    [Fact]
    public void Bizra_placeholders_are_parameters_and_loop_variables_are_not()
    {
        var r = Load("bizra-operations-runbook.md");

        Assert.Equal(["pod-name", "new-password", "new-key"], r.Parameters.Select(p => p.Name));
        var pod = r.FindParameter("pod-name")!;
        Assert.Equal(RunbookParameterKind.Placeholder, pod.Kind);
        Assert.Equal("VIGIL_PARAM_pod_name", pod.EnvVar);
        Assert.Contains(new RunbookParameterUse("common-issue-quick-fixes", 1, false, 324), pod.Uses);
        Assert.Contains(pod.Uses, u => u.Procedure == "issue-high-memory-usage" && u.Line == 476);

        // "for pod in ...; ${pod#pod/}" assigns pod itself.
        Assert.Null(r.FindParameter("pod"));
        Assert.Contains("${pod#pod/}", r.FindProcedure("Recovery Procedures")!.Steps[1].Code);
    }

    [Fact]
    public void Blux_has_one_procedure_and_table_commands_are_not_steps()
    {
        var r = Load("blux-operations.md");

        var p = Assert.Single(r.Procedures);
        Assert.Equal("Backup & Restore", p.Title);
        Assert.Equal("backup-restore", p.Slug);
        Assert.Equal(["OPERATIONS"], p.Group);
        var step = Assert.Single(p.Steps);
        Assert.Equal(40, step.Line);
        Assert.Equal("Snapshot doctrine and registry", step.Description);
        Assert.Empty(r.Parameters); // <id> only appears in a table, $(date +%F) is a command
    }

    [Fact]
    public void Grahmos_uses_h3_and_h4_procedures_and_finds_placeholders_and_variables()
    {
        var r = Load("grahmos-operations-runbook.md");

        Assert.Equal(44, r.Procedures.Count);
        var restart = r.FindProcedure("Restart Individual Service")!;
        Assert.Equal(4, restart.Level);
        Assert.Equal("Service Restart Procedures", restart.Group[^1]);
        Assert.Equal(3, r.FindProcedure("Morning Health Check (9:00 AM)")!.Level);
        Assert.Equal(4, r.FindProcedure("chaos-drill-menu")!.Steps.Count); // fences nested in a list
        Assert.DoesNotContain("Capacity & Cost Dashboard", Titles(r)); // promql only

        var backup = r.FindParameter("backup-id")!;
        Assert.Equal("VIGIL_PARAM_backup_id", backup.EnvVar);
        Assert.Equal(["partial-recovery-data-only", "full-system-recovery"], backup.Uses.Select(u => u.Procedure).Distinct());
        Assert.NotNull(r.FindParameter("service-name"));

        var ver = r.FindParameter("VER")!;
        Assert.Equal(RunbookParameterKind.Variable, ver.Kind);
        Assert.All(ver.Uses, u => Assert.Equal("blue-green-edge-swap", u.Procedure));
        Assert.NotNull(r.FindParameter("PREV_VER"));
        Assert.NotNull(r.FindParameter("TOKEN"));
    }

    [Fact]
    public void Oneiric_has_one_procedure_and_ignores_mermaid()
    {
        var r = Load("oneiric-runbooks.md");

        var p = Assert.Single(r.Procedures);
        Assert.Equal("Common Commands", p.Title);
        Assert.Equal(["Operational Runbooks", "Quick Reference"], p.Group);
        Assert.Single(p.Steps);
        Assert.Contains("oneiric remote-status", p.Steps[0].Code);
        Assert.Empty(r.Parameters); // <domain> is only in prose
    }

    [Fact]
    public void Index_template_has_no_procedures()
    {
        var r = Load("operations-index-template.md");

        Assert.Empty(r.Procedures);
        Assert.Empty(r.Parameters);
        Assert.Null(r.Metadata.Id);
        Assert.Empty(r.Metadata.Params);
    }
}
