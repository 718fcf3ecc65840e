using Vigil.Core.Runbooks;
using static Vigil.Core.Tests.Runbooks.RunTestData;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>Freezes judge steps with the hazard table: destroy and change commands are refused, diagnostics run.</summary>
public sealed class FreezeClassificationTests
{
    private static RunbookPlan PlanOf(params string[] steps)
    {
        var markdown = "# Ops\n\n## Work\n\n" + string.Concat(steps.Select(s => $"```bash\n{s}\n```\n\n"));
        return RunbookPlanner.Plan(RunbookParser.Parse(markdown, "ops.md"), "work", new Dictionary<string, string>(), new RunbookPlanOptions("^.*$", TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData("oc delete project payments")]
    [InlineData("oc -n prod delete pod -l app=api")]
    [InlineData("helm uninstall api -n prod")]
    [InlineData("terraform destroy -auto-approve")]
    [InlineData("ssh bastion 'oc adm drain worker-3 --force'")]
    public void A_freeze_refuses_a_step_that_destroys(string code)
    {
        var plan = PlanOf(code);

        var step = Assert.Single(plan.Steps);
        Assert.True(step.Mutating);
        Assert.Equal(7, RunFreezes.Refusing([Freeze(7, null)], step, Request())?.Id);
        Assert.Contains("steps 1 of", RunFreezes.StartRefusal([Freeze(7, null)], plan, Request()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oc get pods -n prod")]
    [InlineData("kubectl logs deploy/api --previous")]
    [InlineData("echo 'a>b'")]
    [InlineData("kubectl get pods -o jsonpath='{.items[?(@.status.containerStatuses[0].restartCount>3)].metadata.name}'")]
    [InlineData("curl -sG http://prom:9090/api/v1/query --data-urlencode 'query=rate(errors[5m]) > 0.05'")]
    public void A_freeze_lets_a_read_only_diagnostic_run(string code)
    {
        var plan = PlanOf(code);

        var step = Assert.Single(plan.Steps);
        Assert.False(step.Mutating);
        Assert.Null(RunFreezes.Refusing([Freeze(7, null)], step, Request()));
        Assert.Null(RunFreezes.StartRefusal([Freeze(7, null)], plan, Request()));
    }

    [Fact]
    public void A_freeze_refuses_only_the_changing_steps_of_a_mixed_procedure()
    {
        var plan = PlanOf("oc get pods", "oc delete pod api-0", "kubectl logs api-0", "kubectl rollout restart deploy/api");

        Assert.Equal([false, true, false, true], plan.Steps.Select(s => s.Mutating));
        Assert.Contains("steps 2, 4 of", RunFreezes.StartRefusal([Freeze(1, null)], plan, Request()), StringComparison.Ordinal);
    }
}
