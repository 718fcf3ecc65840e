using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookParserTests
{
    private const string Fence = "```";

    private static Runbook Parse(string markdown) => RunbookParser.Parse(markdown, "runbooks/test.md");

    [Fact]
    public void Console_blocks_keep_prompted_commands_and_drop_output()
    {
        var r = Parse($"""
            ## Check disk
            {Fence}console
            $ df -h /data
            Filesystem  Size  Used
            /dev/sda1   100G  42G
            $ du -sh /data/* \
              | sort -h
            4.0K /data/a
            {Fence}
            """);

        var step = Assert.Single(Assert.Single(r.Procedures).Steps);
        Assert.Equal("console", step.Language);
        Assert.Equal("df -h /data\ndu -sh /data/* \\\n  | sort -h", step.Code);
    }

    [Fact]
    public void Attributes_parse_in_key_value_and_json_form()
    {
        var r = Parse($$"""
            ## Restart
            {{Fence}}bash {name=restart timeout=60s confirm=true mutating=true}
            systemctl restart edge-api
            {{Fence}}
            {{Fence}}sh {"name":"verify","timeout":"5m","confirm":false}
            curl -f http://localhost/health
            {{Fence}}
            """);

        var steps = Assert.Single(r.Procedures).Steps;
        Assert.Empty(r.Diagnostics);
        Assert.Equal("restart", steps[0].Name);
        Assert.Equal(TimeSpan.FromSeconds(60), steps[0].Timeout);
        Assert.True(steps[0].Confirm);
        Assert.True(steps[0].Mutating);
        Assert.Equal("verify", steps[1].Name);
        Assert.Equal(TimeSpan.FromMinutes(5), steps[1].Timeout);
        Assert.False(steps[1].Confirm);
        Assert.False(steps[1].Mutating);
    }

    [Theory]
    [InlineData("{name=restart timeout=soon}", "timeout")]
    [InlineData("{confirm=maybe}", "confirm")]
    [InlineData("{\"name\": restart}", "JSON")]
    [InlineData("{name=restart oops}", "oops")]
    [InlineData("{name=restart", "closing")]
    public void Bad_attributes_become_diagnostics_on_the_fence_line(string attributes, string mentioned)
    {
        var r = Parse($"## Restart\n\n{Fence}bash {attributes}\necho hi\n{Fence}\n");

        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(3, d.Line);
        Assert.Contains(mentioned, d.Message);
        Assert.Single(Assert.Single(r.Procedures).Steps); // the step is kept
    }

    [Fact]
    public void Variables_the_block_assigns_and_well_known_ones_are_not_parameters()
    {
        var r = Parse($$"""
            ## Deploy
            {{Fence}}bash
            # Deploy a release
            # to every host
            RELEASE=v2
            export TARGET=/srv
            for host in $HOSTS; do scp app "$host:${TARGET}/$RELEASE"; done
            read -r ANSWER
            echo "$ANSWER $HOME $PATH $USER $1 $@ $# $? $$ ${REGION} <backup-id>"
            echo '$NOT_EXPANDED' # trailing
            # echo $IN_A_COMMENT
            {{Fence}}
            """);

        Assert.Equal(["HOSTS", "REGION", "backup-id"], r.Parameters.Select(p => p.Name));
        Assert.Equal("VIGIL_PARAM_backup_id", r.FindParameter("backup-id")!.EnvVar);
        Assert.Equal(RunbookParameterKind.Placeholder, r.FindParameter("backup-id")!.Kind);
        Assert.Equal(new RunbookParameterUse("deploy", 1, false, 7), Assert.Single(r.FindParameter("HOSTS")!.Uses));
        Assert.Equal(9, Assert.Single(r.FindParameter("REGION")!.Uses).Line);
        Assert.Equal("Deploy a release\nto every host", Assert.Single(r.Procedures).Steps[0].Description);
    }

    [Fact]
    public void Rollback_heading_and_rollback_tag_become_the_procedure_rollback()
    {
        var r = Parse($$"""
            # Service
            ## Upgrade <svc>
            {{Fence}}bash
            apt-get install -y "$PKG"
            {{Fence}}
            {{Fence}}bash {rollback=true}
            apt-get remove -y "$PKG"
            {{Fence}}
            ### Rollback
            {{Fence}}bash
            systemctl restart <svc>
            {{Fence}}
            ## Notes
            Nothing runnable here.
            """);

        var p = Assert.Single(r.Procedures);
        Assert.Equal("Upgrade <svc>", p.Title);
        Assert.Equal("upgrade-svc", p.Slug);
        Assert.Equal(["Service"], p.Group);
        Assert.Single(p.Steps);
        Assert.Equal(2, p.Rollback.Count);
        Assert.True(p.Rollback[0].IsRollback);
        Assert.Contains("systemctl restart", p.Rollback[1].Code);
        Assert.Equal(new RunbookParameterUse("upgrade-svc", 2, true, 11), Assert.Single(r.FindParameter("svc")!.Uses));
    }

    [Fact]
    public void Unclosed_fence_at_end_of_file_is_a_step_with_a_diagnostic()
    {
        var r = Parse($"## Tail logs\n{Fence}bash\njournalctl -u edge -f\n");

        var step = Assert.Single(Assert.Single(r.Procedures).Steps);
        Assert.Equal("journalctl -u edge -f", step.Code.Trim());
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(2, d.Line);
        Assert.Contains("never closed", d.Message);
    }

    [Fact]
    public void Crlf_line_endings_parse_like_lf()
    {
        var lf = $"---\nid: restart\n---\n# Ops\n## Restart\n{Fence}sh\n# restart it\nsystemctl restart <unit>\n{Fence}\n";
        var a = Parse(lf);
        var b = Parse(lf.Replace("\n", "\r\n"));

        Assert.Equal("restart", b.Metadata.Id);
        var sa = Assert.Single(Assert.Single(a.Procedures).Steps);
        var sb = Assert.Single(Assert.Single(b.Procedures).Steps);
        Assert.Equal(sa.Code, sb.Code);
        Assert.DoesNotContain('\r', sb.Code);
        Assert.Equal(sa.Line, sb.Line);
        Assert.Equal(6, sb.Line);
        Assert.Equal("restart it", sb.Description);
        Assert.Equal(a.Parameters.Select(p => p.Name), b.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("# Just a title\n\nSome prose with `rm -rf <dir>` inline.\n")]
    [InlineData("```mermaid\ngraph TD\n A-->B\n```\n```yaml\na: [\n```\n```json\n{bad\n```\n")]
    [InlineData("| a | b |\n|---|---|\n| ``` | x |\n")]
    [InlineData("Ã¢â‚¬â€ mojibake ðŸ“‹ \u0000 \uFFFD\n## ðŸ“‹\n```bash\necho ðŸ“‹\n```")]
    [InlineData("```bash\n```")]
    public void Real_world_mess_never_throws(string markdown)
    {
        var r = Parse(markdown);
        Assert.NotNull(r);
        Assert.All(r.Procedures, p => Assert.False(string.IsNullOrEmpty(p.Slug)));
    }

    [Theory]
    [InlineData("## Wait\n```bash {timeout=NaNs}\nsleep 1\n```\n", 2, "timeout")]
    [InlineData("## Wait\n```sh {\"timeout\":\"nan\"}\nsleep 1\n```\n", 2, "timeout")]
    [InlineData("---\n\t: tab\n---\n# Notes\n", 3, "not valid YAML")] // YamlDotNet notices at the end of the front matter
    [InlineData("---\nid: [unclosed\n\uFEFFbom in the middle\n---\n# Notes\n", 2, "not valid YAML")]
    public void Inputs_found_by_fuzzing_become_diagnostics_not_exceptions(string markdown, int line, string mentioned)
    {
        var r = Parse(markdown);

        Assert.Contains(r.Diagnostics, d => d.Line == line && d.Message.Contains(mentioned, StringComparison.Ordinal));
        Assert.All(r.Procedures.SelectMany(p => p.Steps), s => Assert.Null(s.Timeout));
    }

    [Fact]
    public void Json_attributes_with_a_lone_surrogate_are_a_diagnostic_not_an_exception()
    {
        var r = Parse("## Restart\n```sh {\"name\":\"re\uD800start\"}\nsystemctl restart api\n```\n");

        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(2, d.Line);
        Assert.Contains("not valid JSON", d.Message);
        Assert.Single(Assert.Single(r.Procedures).Steps);
    }

    [Fact]
    public void Deeply_nested_front_matter_is_a_diagnostic_not_a_stack_overflow()
    {
        var r = Parse("---\nid: " + new string('[', 100_000) + "\n---\n# Notes\n");

        Assert.Contains(r.Diagnostics, d => d.Message.Contains("nest", StringComparison.Ordinal));
    }

    [Fact]
    public void Steps_before_any_heading_form_a_procedure_named_after_the_front_matter_title()
    {
        var r = Parse($"---\ntitle: Quick fix\n---\n{Fence}bash\nuptime\n{Fence}\n");

        var p = Assert.Single(r.Procedures);
        Assert.Equal("Quick fix", p.Title);
        Assert.Equal(0, p.Level);
        Assert.Empty(p.Group);
    }

    [Fact]
    public void Front_matter_is_read_and_declared_params_merge_with_found_ones()
    {
        var r = Parse($$"""
            ---
            id: restore-db
            title: Restore the database
            service: postgres
            owner: platform
            category: recovery
            last_reviewed: 2025-03-01
            review_every: 90d
            tags: [db, recovery]
            params:
              - name: backup-id
                description: Which backup
                pattern: '^[0-9]{8}$'
              - name: password
                secret: true
                default: changeme
            ---
            ## Restore
            {{Fence}}bash
            pg_restore --backup <backup-id>
            {{Fence}}
            """);

        Assert.Empty(r.Diagnostics);
        var m = r.Metadata;
        Assert.Equal(("restore-db", "Restore the database", "postgres", "platform", "recovery"), (m.Id, m.Title, m.Service, m.Owner, m.Category));
        Assert.Equal(new DateOnly(2025, 3, 1), m.LastReviewed);
        Assert.Equal("90d", m.ReviewEvery);
        Assert.Equal(["db", "recovery"], m.Tags);

        Assert.Equal(["backup-id", "password"], r.Parameters.Select(p => p.Name));
        var backup = r.Parameters[0];
        Assert.Equal(RunbookParameterKind.Declared, backup.Kind);
        Assert.Equal("^[0-9]{8}$", backup.Declaration!.Pattern);
        Assert.Equal(20, Assert.Single(backup.Uses).Line);
        Assert.True(r.Parameters[1].Declaration!.Secret);
        Assert.Equal("changeme", r.Parameters[1].Declaration!.Default);
        Assert.Equal(18, Assert.Single(r.Procedures).Line); // front matter lines still count
    }

    [Theory]
    [InlineData("---\nid: [unclosed\n---\n## A\n", "not valid YAML")]
    [InlineData("---\n- just\n- a list\n---\n", "mapping")]
    [InlineData("---\nid: x\nlast_reviewed: last tuesday\n---\n", "last_reviewed")]
    [InlineData("---\nparams: nope\n---\n", "'params' must be a list")]
    [InlineData("---\nparams:\n  - description: no name\n---\n", "no name")]
    [InlineData("---\nparams:\n  - name: x\n    pattern: '([a-z'\n---\n", "invalid pattern")]
    [InlineData("---\nparams:\n  - name: x\n    secret: perhaps\n---\n", "secret")]
    [InlineData("---\nowner: {name: x}\n---\n", "'owner' must be text")]
    [InlineData("---\nownr: x\n---\n", "unknown front matter key 'ownr'")]
    [InlineData("---\nid: x\n\n## never closed\n", "never closed")]
    public void Front_matter_errors_become_diagnostics(string markdown, string mentioned)
    {
        var r = Parse(markdown);

        Assert.Contains(r.Diagnostics, d => d.Message.Contains(mentioned, StringComparison.Ordinal) && d.Line >= 1);
    }

    [Fact]
    public void Duplicate_headings_get_unique_slugs()
    {
        var r = Parse($"## Restart\n{Fence}sh\na\n{Fence}\n## Restart\n{Fence}sh\nb\n{Fence}\n");

        Assert.Equal(["restart", "restart-2"], r.Procedures.Select(p => p.Slug));
        Assert.Equal("b", r.FindProcedure("restart-2")!.Steps[0].Code);
    }

    [Theory]
    [InlineData("backup-id", "VIGIL_PARAM_backup_id")]
    [InlineData("VER", "VIGIL_PARAM_VER")]
    [InlineData("svc.name/x", "VIGIL_PARAM_svc_name_x")]
    public void Env_var_names_replace_non_identifier_characters(string name, string env)
    {
        Assert.Equal(env, RunbookParser.EnvVarName(name));
    }
}
