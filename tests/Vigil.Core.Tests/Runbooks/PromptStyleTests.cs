using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>Prompt-style blocks: <c>$ </c> (and root <c># </c>) lines are commands, the rest is output shown and never run.</summary>
public class PromptStyleTests
{
    private const string Fence = "```";

    private static Runbook Parse(string markdown) => RunbookParser.Parse(markdown, "runbooks/test.md");

    private static RunbookStep Only(string markdown) => Assert.Single(Assert.Single(Parse(markdown).Procedures).Steps);

    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    [InlineData("shell")]
    [InlineData("console")]
    public void A_prompt_style_block_runs_its_commands_and_keeps_its_output_for_display(string language)
    {
        var step = Only($"""
            ## Inspect
            {Fence}{language}
            $ kubectl get pv
            NAME      CAPACITY   STATUS   CLAIM
            pv-1      10Gi       Bound    default/data
            $ kubectl describe pod web-0 -n shop
            Name:         web-0
            Events:       <none>
            {Fence}
            """);

        Assert.Equal(BlockReading.Prompted, step.Reading);
        Assert.Equal("kubectl get pv\nkubectl describe pod web-0 -n shop", step.Code);
        Assert.Equal([3, 6], step.SourceLines);
        Assert.Equal(
            [(4, "NAME      CAPACITY   STATUS   CLAIM", 1), (5, "pv-1      10Gi       Bound    default/data", 1), (7, "Name:         web-0", 2), (8, "Events:       <none>", 2)],
            step.Output.Select(o => (o.Line, o.Text, o.After)));
    }

    [Theory]
    [InlineData("<none>")]
    [InlineData("<pending>")]
    [InlineData("<unknown>")]
    public void Placeholder_like_words_in_output_lines_are_never_parameters(string word)
    {
        var r = Parse($"""
            ## Inspect
            {Fence}bash
            $ kubectl get svc -n shop
            NAME   TYPE        EXTERNAL-IP
            web    ClusterIP   {word}
            Annotations:  {word}
            {Fence}
            """);

        Assert.Empty(r.Parameters);
    }

    [Fact]
    public void A_prompted_command_keeps_its_continuation_lines_and_here_document()
    {
        var step = Only($"""
            ## Apply
            {Fence}bash
            $ kubectl annotate pod web-0 \
                note=checked
            pod/web-0 annotated
            $ cat > /tmp/x.conf <<'EOF'
            $ not a prompt: part of the here-document
            key=value
            EOF
            $ echo done
            done
            {Fence}
            """);

        Assert.Equal("kubectl annotate pod web-0 \\\n    note=checked\ncat > /tmp/x.conf <<'EOF'\n$ not a prompt: part of the here-document\nkey=value\nEOF\necho done", step.Code);
        Assert.Equal(["pod/web-0 annotated", "done"], step.Output.Select(o => o.Text));
    }

    [Fact]
    public void Root_prompts_are_commands_after_a_switch_to_root_and_comments_stay_comments()
    {
        var step = Only($"""
            ## Machines
            {Fence}bash
            # List the machines, then count them.
            $ sudo su
            # /root/machines_operations.sh list
            machine-1 running
            # docker-machine ls
            {Fence}
            """);

        Assert.Equal("# List the machines, then count them.\nsudo su\n/root/machines_operations.sh list\ndocker-machine ls", step.Code);
        Assert.Equal("List the machines, then count them.", step.Description);
        Assert.Equal(["machine-1 running"], step.Output.Select(o => o.Text));
    }

    [Theory]
    [InlineData("# kill the process that holds the lock", false)]
    [InlineData("# Find the PID of the redis-server process.", false)]
    [InlineData("# make a change", false)]
    [InlineData("# git clone https://gitlab.com/gitlab-org/gitlab-ce", true)]
    [InlineData("# /opt/scripts/rotate.sh --now", true)]
    public void Without_a_switch_to_root_a_hash_line_is_a_command_only_when_it_names_a_program_and_is_not_prose(string line, bool command)
    {
        var step = Only($"## A\n{Fence}bash\n$ hostname\nhost-1\n\n{line}\n$ uptime\n{Fence}\n");

        Assert.Equal(command, step.Code.Split('\n').Contains(line[2..]));
        Assert.Contains("uptime", step.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hash_line_right_after_output_is_output()
    {
        var step = Only($"""
            ## DNS
            {Fence}shell
            $ cat /etc/dnsmasq.d/10-consul
            server=/consul/127.0.0.1#8600
            # Disable caching
            cache-size=0
            {Fence}
            """);

        Assert.Equal("cat /etc/dnsmasq.d/10-consul", step.Code);
        Assert.Equal(["server=/consul/127.0.0.1#8600", "# Disable caching", "cache-size=0"], step.Output.Select(o => o.Text));
    }

    [Fact]
    public void A_bash_block_without_prompts_is_a_script_as_written()
    {
        var step = Only($"## A\n{Fence}bash\necho 'a>b'\n# a comment\nexit 0\n{Fence}\n");

        Assert.Equal(BlockReading.Script, step.Reading);
        Assert.Equal("echo 'a>b'\n# a comment\nexit 0", step.Code);
        Assert.Empty(step.Output);
    }

    [Theory]
    [InlineData("kubectl delete pod -l app=web -n shop\nkubectl get pods -n shop")]
    [InlineData("./scripts/install-asdf-plugins.sh")]
    [InlineData("# Install the plugin once\nasdf plugin add jsonnet-tool https://example.com/asdf-jsonnet-tool.git")]
    [InlineData("frobnicate --all")]
    public void A_console_block_without_a_prompt_that_looks_like_commands_is_a_script(string body)
    {
        var step = Only($"## A\n{Fence}console\n{body}\n{Fence}\n");

        Assert.Equal(BlockReading.Script, step.Reading);
        Assert.Equal(body, step.Code);
    }

    [Fact]
    public void A_console_block_without_a_prompt_that_looks_like_output_is_shown_not_run_and_lint_says_so()
    {
        var markdown = $"""
            # Volumes
            ## Inspect
            {Fence}console
            NAME      CAPACITY   STATUS
            pv-1      10Gi       Bound
            {Fence}
            """;
        var r = Parse(markdown);

        Assert.Empty(r.Procedures);
        var f = Assert.Single(RunbookLinter.Lint(r, markdown, new LintContext(new DateOnly(2025, 6, 1), null)));
        Assert.Equal(("console-output", LintSeverity.Info, 3), (f.Rule, f.Severity, f.Line));
        Assert.Contains("shown, not run", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_title_is_the_first_h1_when_front_matter_has_none()
    {
        var markdown = $"# Redis failover\n\nSome prose.\n\n## Promote a replica\n{Fence}bash\nredis-cli replicaof no one\n{Fence}\n";
        var r = Parse(markdown);

        Assert.Equal("Redis failover", r.Heading);
        Assert.Equal("Redis failover", new CatalogEntry("redis", "/x/redis.md", "redis.md", markdown, r, []).Title);
        Assert.Equal(["Redis failover"], Assert.Single(r.Procedures).Group);
        Assert.Equal("From front matter", new CatalogEntry("redis", "/x/redis.md", "redis.md", markdown,
            Parse("---\ntitle: From front matter\n---\n" + markdown), []).Title);
    }

    [Fact]
    public void The_plan_of_a_prompt_style_block_has_no_prompt_and_carries_the_output_and_unfilled_placeholders_are_a_warning_not_a_stop()
    {
        var r = Parse($"""
            # Pods
            ## Restart a pod
            {Fence}bash
            $ kubectl delete pod <pod> -n shop
            pod "web-0" deleted
            $ kubectl get pods -n shop
            NAME    READY   STATUS
            web-0   1/1     Running
            {Fence}
            """);

        var plan = RunbookPlanner.Plan(r, null, new Dictionary<string, string>(), RunbookPlanOptions.From(new Vigil.Core.Config.RunbooksConfig()));

        Assert.False(plan.IsRunnable); // a run is refused without a value
        Assert.True(plan.IsShowable); // a dry run shows it
        Assert.Equal(["pod"], plan.Unfilled);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("kubectl delete pod \"${VIGIL_PARAM_pod}\" -n shop\nkubectl get pods -n shop", step.Script);
        Assert.Equal(["pod \"web-0\" deleted", "NAME    READY   STATUS", "web-0   1/1     Running"], step.Output.Select(o => o.Text));
        Assert.DoesNotContain(step.Script.Split('\n'), l => l.TrimStart().StartsWith("$ ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_parameter_value_still_stops_the_plan()
    {
        var r = Parse($"## A\n{Fence}bash\n$ kubectl delete pod <pod>\n{Fence}\n");

        var plan = RunbookPlanner.Plan(r, null, new Dictionary<string, string> { ["pod"] = "x; rm -rf /" }, RunbookPlanOptions.From(new Vigil.Core.Config.RunbooksConfig()));

        Assert.False(plan.IsRunnable);
        Assert.False(plan.IsShowable);
    }
}
