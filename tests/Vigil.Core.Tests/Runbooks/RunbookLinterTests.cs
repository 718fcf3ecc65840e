using Vigil.Core.Config;
using Vigil.Core.Runbooks;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookLinterTests
{
    private const string Fence = "```";
    private const string Path = "runbooks/test.md";

    private static readonly DateOnly Today = new(2025, 6, 1);

    private static IReadOnlyList<LintFinding> Lint(string markdown, TimeSpan? reviewEvery = null, string path = Path) =>
        RunbookLinter.Lint(RunbookParser.Parse(markdown, path), markdown, new LintContext(Today, reviewEvery));

    private static List<LintFinding> Lint(string markdown, string rule) => Lint(markdown).Where(f => f.Rule == rule).ToList();

    [Fact]
    public void Rules_list_every_rule_with_its_severity()
    {
        Assert.Equal(
            [
                ("destructive-command", LintSeverity.Error),
                ("unresolved-placeholder", LintSeverity.Error),
                ("undeclared-variable", LintSeverity.Warning),
                ("plaintext-secret", LintSeverity.Error),
                ("mutation-without-verification", LintSeverity.Warning),
                ("stale-review", LintSeverity.Warning),
                ("broken-link", LintSeverity.Warning),
                ("missing-runbook", LintSeverity.Warning),
                ("parse", LintSeverity.Warning),
                ("console-output", LintSeverity.Info),
                ("health-gate", LintSeverity.Error),
                ("branch", LintSeverity.Error),
            ],
            RunbookLinter.Rules.Select(r => (r.Id, r.Severity)));
        Assert.All(RunbookLinter.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Summary)));
    }

    [Fact]
    public void Rules_are_all_documented_with_their_severity()
    {
        var doc = File.ReadAllText(System.IO.Path.Combine(RepoRoot.Find(), "docs", "runbooks.md"));

        Assert.All(RunbookLinter.Rules, r => Assert.Contains($"| `{r.Id}` | {r.Severity.ToString().ToLowerInvariant()} |", doc));
    }

    [Fact]
    public void Destructive_command_without_confirm_or_rollback_is_an_error_on_its_line_in_a_runbook_run_through_vigil()
    {
        var markdown = $"""
            ## Rebuild index
            {Fence}bash
            # Drop the current index
            rm -rf /data/index/*
            ./rebuild.sh && curl -f http://localhost/health
            {Fence}
            """;
        var policy = LintPolicy.From(new RunbooksConfig { Executable = ["runbooks/**"] }, null);
        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, Path), markdown, new LintContext(Today, null) { Policy = policy })
            .Where(f => f.Rule == "destructive-command").ToList();

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Error, f.Severity);
        Assert.Equal(Path, f.File);
        Assert.Equal(4, f.Line);
        Assert.Contains("`rm -rf`", f.Message);
        Assert.Contains("Rebuild index", f.Message);
        Assert.Contains("{confirm=true}", f.Fix);
        Assert.Contains("Rollback", f.Fix);
        Assert.DoesNotContain("vigil: executable", f.Fix);
    }

    [Theory]
    [InlineData("---\nvigil: executable\n---\n", LintSeverity.Error)]
    [InlineData("---\nsummary: read by people\n---\n", LintSeverity.Warning)]
    [InlineData("", LintSeverity.Warning)]
    public void Destructive_command_is_flagged_everywhere_but_an_error_only_where_the_team_runs_the_runbook(string frontMatter, LintSeverity severity)
    {
        // The same context as unresolved-placeholder: a hazard at run time, so an error where Vigil runs it.
        var findings = Lint(frontMatter + $"""
            # Pods
            ## Remove the stuck pod
            {Fence}bash
            oc delete project shop-staging
            {Fence}
            """, "destructive-command");

        var f = Assert.Single(findings);
        Assert.Equal(severity, f.Severity);
        Assert.Contains("runs `oc delete", f.Message);
        Assert.Equal(severity == LintSeverity.Warning, f.Fix.Contains("vigil: executable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bash {confirm=true}", "")]
    [InlineData("bash {\"confirm\":true}", "")]
    [InlineData("bash", "### Rollback\n```bash\n./restore-index.sh\n```\n")]
    [InlineData("bash", "```bash {rollback=true}\n./restore-index.sh\n```\n")]
    public void Destructive_command_is_silenced_by_confirm_or_a_rollback(string info, string rollback)
    {
        var findings = Lint($"## Rebuild index\n{Fence}{info}\nrm -rf /data/index/*\n{Fence}\n{rollback}", "destructive-command");

        Assert.Empty(findings);
    }

    [Fact]
    public void Destructive_command_with_confirm_false_is_still_an_error()
    {
        Assert.Single(Lint($"## Flush\n{Fence}sh {{confirm=false}}\nredis-cli FLUSHALL\n{Fence}\n", "destructive-command"));
    }

    [Fact]
    public void Undeclared_placeholder_is_one_error_at_its_first_use_with_a_front_matter_snippet()
    {
        // Marked executable in config: the team runs it through Vigil, so a placeholder nobody declared is an error.
        var markdown = $"""
            # Restore
            ## Restore a backup
            {Fence}bash
            ./restore.sh --dry-run <backup-id>
            ./restore.sh <backup-id>
            {Fence}
            """;
        var policy = LintPolicy.From(new RunbooksConfig { Executable = ["runbooks/**"] }, null);
        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, Path), markdown, new LintContext(Today, null) { Policy = policy })
            .Where(f => f.Rule == "unresolved-placeholder").ToList();

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Error, f.Severity);
        Assert.Equal(4, f.Line);
        Assert.Contains("<backup-id>", f.Message);
        Assert.Contains("---\nparams:\n  - name: backup-id\n", f.Fix);
    }

    [Fact]
    public void Undeclared_placeholder_in_a_runbook_for_people_is_info_that_says_a_run_is_refused()
    {
        var findings = Lint($"""
            # Restore
            ## Restore a backup
            {Fence}bash
            ./restore.sh <backup-id>
            {Fence}
            """, "unresolved-placeholder");

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Info, f.Severity);
        Assert.Equal(4, f.Line);
        Assert.Contains("run through Vigil is refused until it gets --param backup-id=VALUE", f.Message);
        Assert.Contains("vigil: executable", f.Fix);
    }

    [Theory]
    [InlineData("---\nvigil: executable\n---\n", null)]
    [InlineData("", "runbooks/*.md")]
    [InlineData("", "runbooks/")]
    public void Undeclared_placeholder_is_an_error_where_the_runbook_is_marked_executable(string frontMatter, string? glob)
    {
        var markdown = frontMatter + $"# Restore\n## Restore a backup\n{Fence}bash\n./restore.sh <backup-id>\n{Fence}\n";
        var policy = LintPolicy.From(new RunbooksConfig { Executable = glob is null ? [] : [glob] }, null);

        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, Path), markdown, new LintContext(Today, null) { Policy = policy });

        Assert.Equal(LintSeverity.Error, Assert.Single(findings, f => f.Rule == "unresolved-placeholder").Severity);
    }

    [Fact]
    public void Undeclared_placeholder_is_an_error_in_the_procedure_a_schedule_runs_and_info_in_the_others()
    {
        var markdown = $"# Ops\n## Nightly\n{Fence}bash\n./prune.sh <keep>\n{Fence}\n## By hand\n{Fence}bash\n./inspect.sh <pod>\n{Fence}\n";
        var runbooks = new RunbooksConfig
        {
            Schedules = [new RunbookScheduleConfig { Id = "nightly", Runbook = "runbooks/test.md", Procedure = "nightly", Cron = "0 2 * * *" }],
        };

        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, Path), markdown,
            new LintContext(Today, null) { Policy = LintPolicy.From(runbooks, null) }).Where(f => f.Rule == "unresolved-placeholder");

        Assert.Equal([("<keep>", LintSeverity.Error), ("<pod>", LintSeverity.Info)], findings.Select(f => ("<" + f.Message.Split("`<")[1].Split(">`")[0] + ">", f.Severity)));
    }

    [Fact]
    public void Declared_placeholder_is_not_a_finding_and_the_snippet_fits_existing_front_matter()
    {
        var findings = Lint($"""
            ---
            id: restore
            params:
              - name: backup-id
            ---
            ## Restore
            {Fence}bash
            ./restore.sh <backup-id> <target>
            {Fence}
            """, "unresolved-placeholder");

        var f = Assert.Single(findings);
        Assert.Contains("<target>", f.Message);
        Assert.Equal(8, f.Line);
        Assert.StartsWith("declare it in the front matter:\nparams:\n  - name: target", f.Fix);
        Assert.DoesNotContain("---", f.Fix);
    }

    [Fact]
    public void Undeclared_variable_is_a_warning_and_declared_or_assigned_ones_are_not()
    {
        var findings = Lint($$"""
            ---
            params: [REGION]
            ---
            ## Deploy
            {{Fence}}bash
            RELEASE=v2
            deploy --release "$RELEASE" --region "$REGION" --version "${VER}"
            {{Fence}}
            """, "undeclared-variable");

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Assert.Equal(7, f.Line);
        Assert.Contains("$VER", f.Message);
        Assert.Contains("- name: VER", f.Fix);
    }

    [Fact]
    public void Secret_written_literally_is_an_error_whose_message_masks_the_value()
    {
        var findings = Lint($"""
            ## Rotate
            {Fence}bash
            export PASSWORD=hunter2
            psql "postgres://app:s3cr3t-pw@db/app" -c 'select 1'
            {Fence}
            """, "plaintext-secret");

        Assert.Equal([3, 4], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal(LintSeverity.Error, f.Severity));
        Assert.Contains("PASSWORD=***", findings[0].Message);
        Assert.Contains("app:***@db", findings[1].Message);
        Assert.All(findings, f => Assert.DoesNotContain("hunter2", f.Message + f.Fix));
        Assert.All(findings, f => Assert.DoesNotContain("s3cr3t", f.Message + f.Fix));
    }

    [Fact]
    public void Secret_in_prose_and_front_matter_is_found_too()
    {
        var findings = Lint("""
            ---
            params:
              - name: token
                default: "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
            ---
            # Access
            The shared login is admin, password: correct-horse-battery
            """, "plaintext-secret");

        Assert.Equal([4, 7], findings.Select(f => f.Line));
        Assert.DoesNotContain(findings, f => f.Message.Contains("ghp_abc", StringComparison.Ordinal) || f.Message.Contains("horse", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PASSWORD=$PASSWORD")]
    [InlineData("PASSWORD=\"${DB_PASSWORD}\"")]
    [InlineData("PASSWORD=$(vault kv get -field=pw secret/db)")]
    [InlineData("--from-literal=NEO4J_PASSWORD='<new-password>'")]
    [InlineData("PASSWORD=***")]
    [InlineData("token: <redacted>")]
    [InlineData("api_key=...")]
    [InlineData("PASSWORD=")]
    [InlineData("curl -H \"Authorization: Bearer $TOKEN\" https://api/health")]
    public void Secret_references_placeholders_and_masks_are_not_secrets(string line)
    {
        Assert.Empty(Lint($"## Use\n{Fence}bash\n{line}\n{Fence}\n", "plaintext-secret"));
    }

    [Fact]
    public void Mutation_without_a_later_verification_is_a_warning_on_the_change()
    {
        var findings = Lint($"""
            ## Restart
            {Fence}bash
            # Restart the API
            systemctl restart edge-api
            echo restarted
            {Fence}
            """, "mutation-without-verification");

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Assert.Equal(4, f.Line);
        Assert.Contains("systemctl restart edge-api", f.Message);
        Assert.Contains("\"Restart\"", f.Message);
    }

    [Theory]
    [InlineData("kubectl rollout status deploy/edge-api")]
    [InlineData("curl -fsS https://localhost/api/ping")]
    [InlineData("systemctl is-active edge-api")]
    [InlineData("docker ps --filter name=edge")]
    [InlineData("redis-cli PING")]
    [InlineData("pg_isready -h db")]
    [InlineData("test -f /run/edge.pid")]
    [InlineData("journalctl -u edge-api | grep started")]
    [InlineData("# Verify the service answers\n./smoke.sh")]
    public void Mutation_followed_by_a_verifying_step_is_fine(string verification)
    {
        var findings = Lint($"## Restart\n{Fence}bash\nsystemctl restart edge-api\n{Fence}\n\nThen:\n\n{Fence}bash\n{verification}\n{Fence}\n", "mutation-without-verification");

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("bash {name=verify}", "./smoke.sh")]
    [InlineData("bash {name=health}", "./probe.sh")]
    public void Mutation_followed_by_a_step_named_for_verification_is_fine(string info, string command)
    {
        Assert.Empty(Lint($"## Restart\n{Fence}bash\nkubectl apply -f app.yaml\n{Fence}\n{Fence}{info}\n{command}\n{Fence}\n", "mutation-without-verification"));
    }

    [Fact]
    public void Mutation_verified_later_in_the_same_step_is_fine_but_a_check_before_the_change_is_not()
    {
        Assert.Empty(Lint($"## Restart\n{Fence}bash\ndocker compose restart api\nsleep 5\ncurl -f http://localhost:8080/healthz\n{Fence}\n", "mutation-without-verification"));
        Assert.Single(Lint($"## Restart\n{Fence}bash\ncurl -f http://localhost:8080/healthz\ndocker compose restart api\n{Fence}\n", "mutation-without-verification"));
    }

    [Fact]
    public void Later_step_that_changes_something_by_posting_is_not_a_verification()
    {
        var findings = Lint($"## Reindex\n{Fence}bash\nkubectl apply -f job.yaml\n{Fence}\n{Fence}bash\ncurl -d '{{\"all\":true}}' http://localhost/reindex\n{Fence}\n", "mutation-without-verification");

        Assert.Single(findings);
    }

    [Fact]
    public void Review_older_than_front_matter_review_every_is_stale_on_the_last_reviewed_line()
    {
        var findings = Lint("""
            ---
            id: restart
            last_reviewed: 2025-02-20
            review_every: 90d
            ---
            # Restart
            """, "stale-review");

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Assert.Equal(3, f.Line);
        Assert.Contains("2025-02-20, 101 days ago", f.Message);
        Assert.Contains("last_reviewed: 2025-06-01", f.Fix);
    }

    [Theory]
    [InlineData("2025-03-03", 90, false)] // exactly 90 days: due today, not late
    [InlineData("2025-03-02", 90, true)]
    [InlineData("2025-05-31", 1, false)]
    public void Review_is_stale_only_after_the_period(string reviewed, int days, bool stale)
    {
        var findings = Lint($"---\nlast_reviewed: {reviewed}\nreview_every: {days}d\n---\n", "stale-review");

        Assert.Equal(stale, findings.Count == 1);
    }

    [Fact]
    public void Review_period_from_the_config_applies_when_the_runbook_sets_none()
    {
        var missing = Lint("# Restart\n", reviewEvery: TimeSpan.FromDays(30)).Where(f => f.Rule == "stale-review");
        var old = Lint("---\nlast_reviewed: 2025-01-01\n---\n", reviewEvery: TimeSpan.FromDays(30)).Where(f => f.Rule == "stale-review");
        var none = Lint("---\nlast_reviewed: 2020-01-01\n---\n", reviewEvery: null).Where(f => f.Rule == "stale-review");
        var ownWins = Lint("---\nlast_reviewed: 2025-01-01\nreview_every: 365d\n---\n", reviewEvery: TimeSpan.FromDays(30)).Where(f => f.Rule == "stale-review");

        var f = Assert.Single(missing);
        Assert.Equal(1, f.Line);
        Assert.Contains("no last_reviewed", f.Message);
        Assert.Contains("30d", f.Message);
        Assert.Equal(2, Assert.Single(old).Line);
        Assert.Empty(none);
        Assert.Empty(ownWins);
    }

    [Fact]
    public void Review_every_that_is_not_a_duration_is_a_parse_warning()
    {
        var findings = Lint("---\nlast_reviewed: 2025-05-01\nreview_every: quarterly\n---\n", reviewEvery: TimeSpan.FromDays(365));

        var f = Assert.Single(findings);
        Assert.Equal("parse", f.Rule);
        Assert.Equal(3, f.Line);
        Assert.Contains("quarterly", f.Message);
    }

    [Fact]
    public void Broken_relative_links_and_images_are_warnings_and_existing_targets_are_not()
    {
        using var dir = new TempDirectory();
        dir.Write("runbooks/restart.md", "# Restart\n");
        dir.Write("runbooks/my notes.md", "notes\n");
        dir.Write("docs/architecture.md", "# Architecture\n");
        var markdown = """
            # Ops
            See [restart](restart.md), [its steps](restart.md#steps), [notes](my%20notes.md?plain=1) and [docs](../docs/).
            Also [architecture](../docs/architecture.md), [site](https://example.com/x.md), [mail](mailto:ops@example.com) and [top](#ops).

            [missing](missing.md#anchor) and ![diagram](img/flow.png)

            [ref]: ./gone.md
            A [reference link][ref], and [again][ref].
            """;
        var path = dir.Write("runbooks/index.md", markdown);

        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, path), markdown, new LintContext(Today, null));

        Assert.All(findings, f => Assert.Equal("broken-link", f.Rule));
        Assert.All(findings, f => Assert.Equal(path, f.File));
        Assert.Equal([5, 5, 7], findings.Select(f => f.Line)); // a reference link is reported once, at its definition
        Assert.Contains("link target `missing.md#anchor`", findings[0].Message);
        Assert.Contains("image target `img/flow.png`", findings[1].Message);
        Assert.Contains("`./gone.md`", findings[2].Message);
    }

    [Fact]
    public void Broken_link_in_a_setext_heading_is_reported_on_its_own_line()
    {
        // Markdig numbers inlines of a setext heading from its underline; the linter must not.
        var findings = Lint("# Ops\n\nIntro, see [gone](gone.md)\nand more text\n---\n", "broken-link");

        Assert.Equal(3, Assert.Single(findings).Line);
    }

    [Fact]
    public void Parser_diagnostics_become_parse_warnings_on_their_lines()
    {
        var findings = Lint($"## Restart\n\n{Fence}bash {{timeout=soon}}\necho hi\n{Fence}\n", "parse");

        var f = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Assert.Equal(3, f.Line);
        Assert.Contains("timeout", f.Message);
    }

    [Fact]
    public void Findings_are_sorted_by_line_then_rule()
    {
        var findings = Lint($"## Wipe\n{Fence}bash\nrm -rf /srv/<dir> && echo $DONE\nredis-cli FLUSHALL\n{Fence}\n");

        Assert.Equal(findings.OrderBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal), findings);
        Assert.Equal(
            ["destructive-command", "undeclared-variable", "unresolved-placeholder", "destructive-command", "mutation-without-verification"],
            findings.Select(f => f.Rule));
    }

    private static readonly string Hazardous = $"""
        ## Flush
        {Fence}bash
        redis-cli FLUSHALL
        {Fence}

        ## Wipe
        {Fence}bash
        rm -rf /var/cache/app/*
        {Fence}
        """;

    [Fact]
    public void Disable_comment_silences_a_rule_for_the_whole_file_and_all_silences_everything()
    {
        var one = Lint("<!-- vigil-lint disable destructive-command -->\n" + Hazardous);
        var two = Lint("Intro. <!-- vigil-lint disable destructive-command, mutation-without-verification -->\n" + Hazardous);
        var all = Lint(Hazardous + "\n<!-- vigil-lint disable all -->\n");

        Assert.DoesNotContain(one, f => f.Rule == "destructive-command");
        Assert.Contains(one, f => f.Rule == "mutation-without-verification");
        Assert.Empty(two);
        Assert.Empty(all);
    }

    [Fact]
    public void Disable_next_line_before_a_fence_silences_that_block_only()
    {
        var findings = Lint(Hazardous.Replace("## Wipe\n", "## Wipe\n<!-- vigil-lint disable-next-line destructive-command -->\n\n", StringComparison.Ordinal), "destructive-command");

        var f = Assert.Single(findings);
        Assert.Contains("FLUSHALL", f.Message);
    }

    [Fact]
    public void Disable_next_line_and_disable_line_in_markdown_silence_one_prose_line()
    {
        var findings = Lint("""
            # Access
            <!-- vigil-lint disable-next-line plaintext-secret -->
            password: first-literal
            password=second-literal <!-- vigil-lint disable-line plaintext-secret -->
            password: third-literal
            """, "plaintext-secret");

        Assert.Equal(5, Assert.Single(findings).Line);
    }

    [Fact]
    public void Disable_comments_in_shell_code_silence_a_line_or_the_next_line()
    {
        var findings = Lint($$"""
            ## Reset
            {{Fence}}bash {confirm=false}
            rm -rf /tmp/build-cache  # vigil-lint disable-line destructive-command
            # vigil-lint disable-next-line destructive-command,plaintext-secret

            docker compose down && export API_TOKEN=abc123def
            redis-cli FLUSHDB
            {{Fence}}
            """);

        var f = Assert.Single(findings, f => f.Rule is "destructive-command" or "plaintext-secret");
        Assert.Equal(7, f.Line);
        Assert.Contains("`redis-cli FLUSHDB`", f.Message);
    }

    [Fact]
    public void Unknown_rule_in_a_disable_comment_is_a_parse_warning_naming_the_rules()
    {
        var findings = Lint("<!-- vigil-lint disable destructive, plaintext-secret -->\n# Notes\npassword: hunter2\n");

        var f = Assert.Single(findings);
        Assert.Equal("parse", f.Rule);
        Assert.Equal(1, f.Line);
        Assert.Contains("unknown rule `destructive`", f.Message);
        Assert.Contains("did you mean `destructive-command`?", f.Message);
        Assert.All(RunbookLinter.Rules, r => Assert.Contains(r.Id, f.Message));
    }

    [Theory]
    [InlineData("<!-- vigil-lint enable destructive-command -->", "unknown vigil-lint directive `enable`")]
    [InlineData("<!-- vigil-lint disable -->", "names no rule")]
    [InlineData("```bash\n# vigil-lint disable destructive-command\necho hi\n```", "file-wide `disable`")]
    public void Malformed_disable_comments_are_parse_warnings(string markdown, string mentioned)
    {
        var f = Assert.Single(Lint("# Notes\n" + markdown + "\n"));

        Assert.Equal("parse", f.Rule);
        Assert.Contains(mentioned, f.Message);
    }

    [Fact]
    public void Disable_comment_shown_as_code_in_prose_silences_nothing()
    {
        var findings = Lint("# Notes\nWrite `<!-- vigil-lint disable all -->` to silence a file.\n\npassword: hunter2\n");

        Assert.Equal("plaintext-secret", Assert.Single(findings).Rule);
    }

    [Fact]
    public void LintReferences_reports_runbooks_a_config_built_in_code_names_but_cannot_resolve()
    {
        var config = new VigilConfig
        {
            Services =
            [
                new()
                {
                    Id = "edge-api",
                    Runbooks = ["runbooks/restart.md", "runbooks/gone.md"],
                    Checks = [new() { Id = "health", Runbook = "restart" }, new() { Id = "disk", Runbook = "disk-full" }, new() { Id = "tls" }],
                },
            ],
            Runbooks = new() { Schedules = [new() { Id = "nightly", Runbook = "nightly-vacuum", Cron = "0 3 * * *" }] },
        };
        var known = new HashSet<string> { "runbooks/restart.md", "restart" };

        var findings = RunbookLinter.LintReferences(config, "vigil.yaml", known.Contains);

        Assert.Equal(3, findings.Count);
        Assert.All(findings, f => Assert.Equal(("missing-runbook", LintSeverity.Warning, "vigil.yaml", 1), (f.Rule, f.Severity, f.File, f.Line)));
        Assert.Contains(findings, f => f.Message.Contains("service `edge-api`", StringComparison.Ordinal) && f.Message.Contains("`runbooks/gone.md`", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("check `edge-api/disk`", StringComparison.Ordinal) && f.Message.Contains("`disk-full`", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("runbook schedule `nightly`", StringComparison.Ordinal));
    }

    [Fact]
    public void LintReferences_points_at_the_config_line_of_each_reference_across_includes()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("vigil.yaml", """
            vigil: { name: test }
            include: [services.yaml]
            runbooks:
              schedules:
                - id: nightly
                  runbook: nightly-vacuum
                  cron: "0 3 * * *"
            """);
        dir.Write("services.yaml", """
            services:
              - id: edge-api
                runbooks:
                  - runbooks/restart.md
                  - runbooks/gone.md
                checks:
                  - id: disk
                    command: { run: "df /" }
                    runbook: disk-full
            """);
        var config = LoadConfig(root);

        var findings = RunbookLinter.LintReferences(config, root, r => r == "runbooks/restart.md");

        Assert.Equal(3, findings.Count);
        var byMessage = findings.ToDictionary(f => f.Message[..f.Message.IndexOf(" names", StringComparison.Ordinal)]);
        Assert.Equal(6, byMessage["runbook schedule `nightly`"].Line);
        Assert.Equal(root, byMessage["runbook schedule `nightly`"].File);
        Assert.Equal(5, byMessage["service `edge-api`"].Line);
        Assert.EndsWith("services.yaml", byMessage["service `edge-api`"].File, StringComparison.Ordinal);
        Assert.Equal(9, byMessage["check `edge-api/disk`"].Line);
    }

    private static VigilConfig LoadConfig(string path)
    {
        var result = ConfigLoader.Load(path, TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
