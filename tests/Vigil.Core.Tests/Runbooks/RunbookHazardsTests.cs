using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookHazardsTests
{
    [Theory]
    [InlineData("docker-compose up -d --force-recreate edge-api")]
    [InlineData("sudo certbot renew --force-renewal")]
    [InlineData("git push --force-with-lease")]
    public void Destructive_flags_that_only_start_with_force_are_not_force(string line)
    {
        Assert.DoesNotContain(RunbookHazards.Destructive(line), h => h.Command.EndsWith("--force", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("neo4j-admin restore --from=/backup --force")]
    [InlineData("helm upgrade api ./chart --force --wait")]
    [InlineData("kubectl delete pod x --force=true")]
    [InlineData("vault secrets disable --force-delete kv")]
    public void Destructive_force_and_force_delete_are_found(string line)
    {
        Assert.Contains(RunbookHazards.Destructive(line), h => h.Command.Contains("--force", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kubectl describe pod <pod-name> -n bizra-system | grep -A5 \"Last State\"")]
    [InlineData("kubectl logs <pod> --previous")]
    [InlineData("./scripts/disaster-recovery.sh list <backup-id> --verbose")]
    public void LooksMutating_placeholder_brackets_are_not_redirects(string line)
    {
        Assert.False(RunbookHazards.LooksMutating(line));
    }

    [Theory]
    [InlineData("echo done > /var/run/flag")]
    [InlineData("./report.sh >> /var/log/report.log")]
    [InlineData("cat <config> > /etc/app.conf")]
    public void LooksMutating_real_redirects_still_count(string line)
    {
        Assert.True(RunbookHazards.LooksMutating(line));
    }

    [Theory]
    [InlineData("./report.sh >> logs/report.log")]
    [InlineData("kubectl get pods -o yaml > pods.yaml")]
    [InlineData("sudo perf script --header | gzip > /tmp/stacks.gz")]
    [InlineData("echo 'a>b' > ~/notes.txt")]
    [InlineData("> Accept: */*")]
    public void LooksMutating_output_saved_to_a_working_file_is_not_a_change(string line)
    {
        // Relative paths, ~/…, $DIR/… and /tmp hold what the operator captures; only system files count.
        Assert.False(RunbookHazards.LooksMutating(line));
    }

    [Theory]
    [InlineData("rm", " --a", 40, " x")]
    [InlineData("kubectl", " -a", 40, " x")]
    [InlineData("x", " kubectl get", 20_000, "")]
    [InlineData("x", " docker compose ps", 20_000, "")]
    [InlineData("x", " dd if=a", 20_000, "")]
    [InlineData("x", "--token-", 5_000, " > out")]
    [InlineData("echo <", "a", 30_000, "> > out")]
    public void Hazard_patterns_take_linear_time_on_adversarial_lines(string head, string repeated, int count, string tail)
    {
        // Before the patterns ran without backtracking, 40 flags took 2^40 steps and 20,000 commands on one line
        // took tens of seconds; either would hang lint and freeze checks. The bound is checked structurally
        // (Hazard_detection_uses_no_regular_expressions: it is a single-pass shell reader and a table lookup now);
        // this only shows such lines are handled.
        var line = head + string.Concat(Enumerable.Repeat(repeated, count)) + tail;
        Assert.DoesNotContain(RunbookHazards.Destructive(line), h => h.Command == "rm -rf");
        _ = RunbookHazards.LooksMutating(line);
    }

    [Fact]
    public void Hazard_detection_uses_no_regular_expressions()
    {
        // The regex patterns this replaced needed NonBacktracking and timeouts to stay linear on adversarial lines.
        // The shell reader is one pass over the text and the table a lookup, so no regex may creep back in.
        Assert.Empty(RegexBounds.StaticRegexesOf(typeof(RunbookHazards)));
        Assert.Empty(RegexBounds.StaticRegexesOf(typeof(CommandTable)));
        Assert.Empty(RegexBounds.StaticRegexesOf(typeof(ShellReader)));
    }

    [Theory]
    [InlineData("rm -rf /data/indexes/current/*", "rm -rf")]
    [InlineData("rm -r -f /tmp/x", "rm -r")]
    [InlineData("sudo rm --one-file-system -fr /srv/old", "rm -fr")]
    [InlineData("kubectl -n prod delete pod api-0", "kubectl delete")]
    [InlineData("kubectl --context=prod --namespace ops delete deploy x", "kubectl delete")]
    [InlineData("docker-compose exec redis redis-cli FLUSHALL", "redis-cli FLUSHALL")]
    [InlineData("docker-compose down", "docker-compose down")]
    [InlineData("psql -c 'DROP TABLE users'", "psql DROP")]
    public void Destructive_commands_are_found(string line, string command)
    {
        Assert.Contains(RunbookHazards.Destructive(line), h => h.Command == command && h.CodeLine == 0);
    }
}
