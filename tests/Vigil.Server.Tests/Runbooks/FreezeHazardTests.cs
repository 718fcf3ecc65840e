using System.Net;
using Vigil.Core.Runbooks;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>A real server under a freeze: destroy-class steps are refused, read-only diagnostics run to the end.</summary>
public sealed class FreezeHazardTests
{
    private const string Diagnose = """
        ---
        id: diagnose
        service: web
        ---
        # Diagnose

        ## Look around

        ```bash {name=look}
        echo 'a>b'
        oc get pods -n prod 2>/dev/null || echo "no oc here"
        kubectl logs deploy/api --previous 2>/dev/null || echo "no kubectl here"
        ```
        """;

    private static string Destroying(string id, string command) => $"""
        ---
        id: {id}
        service: web
        ---
        # {id}

        ## Remove

        ```bash {"{"}name=remove confirm=true{"}"}
        {command}
        ```
        """;

    [Fact]
    public async Task A_freeze_refuses_destroying_runbooks_and_lets_diagnostics_run()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string>
        {
            ["diagnose.md"] = Diagnose,
            ["oc-delete.md"] = Destroying("oc-delete", "oc delete project payments"),
            ["helm-uninstall.md"] = Destroying("helm-uninstall", "helm uninstall api -n prod"),
            ["tf-destroy.md"] = Destroying("tf-destroy", "terraform destroy -auto-approve"),
        });
        Assert.Equal(0, (await h.Server.CliAsync("freeze", "--reason", "release week")).ExitCode);

        foreach (var id in new[] { "oc-delete", "helm-uninstall", "tf-destroy" })
        {
            var (status, _, body) = await h.StartRunAsync(new { runbook = id, yes = true });
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Contains("everything is frozen", body, StringComparison.Ordinal);
        }

        var run = await h.EndAsync((await h.RunAsync(new { runbook = "diagnose", yes = true })).Id);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Null(run.FreezeOverride);
    }

    [Fact]
    public async Task Approval_is_needed_for_changes_and_not_for_diagnostics()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string>
        {
            ["diagnose.md"] = Diagnose,
            ["helm-uninstall.md"] = Destroying("helm-uninstall", "helm uninstall api -n prod"),
        }, "  require_approval_in: [production]", environment: "production");

        var held = await h.RunAsync(new { runbook = "helm-uninstall", yes = true });
        Assert.Equal(RunStatus.PendingApproval, held.Status);

        var diagnosed = await h.EndAsync((await h.RunAsync(new { runbook = "diagnose", yes = true })).Id);
        Assert.Equal(RunStatus.Succeeded, diagnosed.Status);
        Assert.Null(diagnosed.ApprovedBy);
    }
}
