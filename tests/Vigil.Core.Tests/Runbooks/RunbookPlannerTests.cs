using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookPlannerTests
{
    private const string Fence = "```";
    private const string DefaultPattern = "^[A-Za-z0-9._:/@+=-]{1,256}$";

    private static readonly RunbookPlanOptions Options = new(DefaultPattern, TimeSpan.FromMinutes(5));

    private static Runbook Parse(string markdown) => RunbookParser.Parse(markdown, "runbooks/test.md");

    private static Runbook Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Runbooks", "Corpus", file);
        return RunbookParser.Parse(File.ReadAllText(path), path);
    }

    private static RunbookPlan Plan(Runbook runbook, string? procedure, params (string Name, string Value)[] values) =>
        RunbookPlanner.Plan(runbook, procedure, values.ToDictionary(v => v.Name, v => v.Value), Options);

    private static string Rewrite(string code)
    {
        var r = Parse($"## P\n{Fence}bash\n{code}\n{Fence}\n");
        return RunbookPlanner.Rewrite(code, r.Parameters);
    }

    // ---- Rewrite -------------------------------------------------------------------------------

    [Theory]
    [InlineData("restore <backup-id> --data-only", "restore \"${VIGIL_PARAM_backup_id}\" --data-only")]
    [InlineData("cp dump-<backup-id>.sql /tmp", "cp dump-\"${VIGIL_PARAM_backup_id}\".sql /tmp")]
    [InlineData("echo \"restoring <backup-id> now\"", "echo \"restoring ${VIGIL_PARAM_backup_id} now\"")]
    [InlineData("kubectl create secret --from-literal=P='<backup-id>'", "kubectl create secret --from-literal=P=''\"${VIGIL_PARAM_backup_id}\"''")]
    [InlineData("echo 'it is <backup-id>, ok'", "echo 'it is '\"${VIGIL_PARAM_backup_id}\"', ok'")]
    [InlineData("printf $'id:\\t<backup-id>\\n'", "printf $'id:\\t'\"${VIGIL_PARAM_backup_id}\"$'\\n'")]
    [InlineData("echo \"pods: $(kubectl get pod <backup-id> -o name)\"", "echo \"pods: $(kubectl get pod \"${VIGIL_PARAM_backup_id}\" -o name)\"")]
    [InlineData("echo \"it's <backup-id>\"", "echo \"it's ${VIGIL_PARAM_backup_id}\"")]
    [InlineData("grep x <<< <backup-id>", "grep x <<< \"${VIGIL_PARAM_backup_id}\"")]
    public void Rewrite_PlaceholderInEachQuotingContext_BecomesFittingEnvReference(string code, string expected)
    {
        Assert.Equal(expected, Rewrite(code));
    }

    [Theory]
    [InlineData("mkdir -p /data/releases/$VER", "mkdir -p /data/releases/${VIGIL_PARAM_VER}")]
    [InlineData("echo \"$VER\"", "echo \"${VIGIL_PARAM_VER}\"")]
    [InlineData("echo ${VER}", "echo ${VIGIL_PARAM_VER}")]
    [InlineData("echo \"${VER:-1}\"", "echo \"${VIGIL_PARAM_VER:-1}\"")]
    [InlineData("echo ${VER:-x}", "echo ${VIGIL_PARAM_VER:-x}")]
    [InlineData("echo $VER/$VER", "echo ${VIGIL_PARAM_VER}/${VIGIL_PARAM_VER}")]
    [InlineData("curl --data '{\"index\": \"'$VER'\"}'", "curl --data '{\"index\": \"'${VIGIL_PARAM_VER}'\"}'")]
    public void Rewrite_Variable_BecomesEnvReferenceAndKeepsAuthorsQuoting(string code, string expected)
    {
        Assert.Equal(expected, Rewrite(code));
    }

    [Theory]
    [InlineData("echo '$VER <x>' \\$VER \"\\$VER\" $VER", "echo '$VER '\"${VIGIL_PARAM_x}\"'' \\$VER \"\\$VER\" ${VIGIL_PARAM_VER}")]
    [InlineData("echo \\<x> $VER", "echo \\<x> ${VIGIL_PARAM_VER}")]
    [InlineData("# restore <x> with $VER\necho <x> $VER", "# restore <x> with $VER\necho \"${VIGIL_PARAM_x}\" ${VIGIL_PARAM_VER}")]
    [InlineData("echo <x> # not <here> nor $HERE", "echo \"${VIGIL_PARAM_x}\" # not <here> nor $HERE")]
    public void Rewrite_EscapedSingleQuotedAndCommentedReferences_StayUntouched(string code, string expected)
    {
        Assert.Equal(expected, Rewrite(code));
    }

    [Fact]
    public void Rewrite_SeveralReferencesOnOneLine_AreAllRewritten()
    {
        Assert.Equal(
            "cp \"${VIGIL_PARAM_src}\"/\"${VIGIL_PARAM_file}\" \"${VIGIL_PARAM_VER}-${VIGIL_PARAM_src}\" '\"'\"${VIGIL_PARAM_file}\"'\"'",
            Rewrite("cp <src>/<file> \"$VER-<src>\" '\"<file>\"'"));
    }

    [Fact]
    public void Rewrite_VariableTheBlockAssigns_IsLeftAlone()
    {
        Assert.Equal(
            "VER=2\necho $VER ${VIGIL_PARAM_REGION}\nfor h in ${VIGIL_PARAM_HOSTS}; do echo $h; done",
            Rewrite("VER=2\necho $VER $REGION\nfor h in $HOSTS; do echo $h; done"));
    }

    [Fact]
    public void Rewrite_OnlyNamesInTheGivenCollection_AreRewritten()
    {
        var r = Parse($"## P\n{Fence}bash\necho <a> <b> $C $HOME\n{Fence}\n");

        Assert.Equal("echo \"${VIGIL_PARAM_a}\" <b> $C $HOME", RunbookPlanner.Rewrite("echo <a> <b> $C $HOME", r.Parameters.Where(p => p.Name == "a").ToList()));
        Assert.Equal("echo <a> <b> $C $HOME", RunbookPlanner.Rewrite("echo <a> <b> $C $HOME", []));
    }

    [Fact]
    public void Rewrite_QuotingSpansLines_ContextIsReadAcrossTheBlock()
    {
        var code = "awk '{\n  print $NF, \"<col>\"\n}' data.txt\necho \"first\n<col> second\"";

        Assert.Equal("awk '{\n  print $NF, \"'\"${VIGIL_PARAM_col}\"'\"\n}' data.txt\necho \"first\n${VIGIL_PARAM_col} second\"", Rewrite(code));
    }

    [Fact]
    public void Rewrite_HereDocuments_ExpandWhenUnquotedAndStayLiteralWhenQuoted()
    {
        var code = "cat <<EOF > a.conf\nid=<id> ver=$VER don't\nEOF\ncat <<'EOF' > b.conf\nid=<id> ver=$VER\nEOF\necho <id>";

        Assert.Equal(
            "cat <<EOF > a.conf\nid=${VIGIL_PARAM_id} ver=${VIGIL_PARAM_VER} don't\nEOF\ncat <<'EOF' > b.conf\nid=<id> ver=$VER\nEOF\necho \"${VIGIL_PARAM_id}\"",
            Rewrite(code));
    }

    [Fact]
    public void Rewrite_ArithmeticShift_IsNotAHereDocument()
    {
        Assert.Equal("echo $((1 << 2)) \"${VIGIL_PARAM_id}\"\necho \"${VIGIL_PARAM_id}\"", Rewrite("echo $((1 << 2)) <id>\necho <id>"));
    }

    [Fact]
    public void Parse_ReferencesRewriteLeavesAlone_AreNotParameters()
    {
        var r = Parse($$"""
            ## P
            {{Fence}}bash
            awk '{
              print $NF   # a field, not a parameter
            }' data.txt
            cat <<'EOF'
            literal $LITERAL
            EOF
            cat <<-EOF
            	don't $EXPANDED
            	EOF
            echo done # see <comment-only> and $COMMENT_ONLY
            echo \<escaped> <real>
            {{Fence}}
            """);

        Assert.Equal(["EXPANDED", "real"], r.Parameters.Select(p => p.Name));
        Assert.Equal(10, Assert.Single(r.FindParameter("EXPANDED")!.Uses).Line);
        Assert.Equal(13, Assert.Single(r.FindParameter("real")!.Uses).Line);
        Assert.EndsWith("don't ${VIGIL_PARAM_EXPANDED}\n\tEOF\necho done # see <comment-only> and $COMMENT_ONLY\necho \\<escaped> \"${VIGIL_PARAM_real}\"",
            RunbookPlanner.Rewrite(r.Procedures[0].Steps[0].Code, r.Parameters));
    }

    [Fact]
    public void Rewrite_ArbitraryShellText_NeverThrowsAndIsIdentityWithoutParameters()
    {
        var random = new Random(20250131);
        string[] pieces = ["'", "\"", "\\", "$", "`", "(", ")", "{", "}", "<", ">", "#", "\n", " ", "\t", ";", "|", "&", "-", "=",
            "<<", "<<-", "<<'EOF'", "EOF", "$(", "$((", "${", "$'", "<id>", "$VER", "${VER:-1}", "a", "don't"];
        for (var n = 0; n < 2000; n++)
        {
            var code = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var r = Parse($"## P\n{Fence}bash\n{code}\n{Fence}\n");

            Assert.Equal(code, RunbookPlanner.Rewrite(code, []));
            Assert.NotNull(RunbookPlanner.Rewrite(code, r.Parameters));
        }
    }

    // ---- Procedure resolution ------------------------------------------------------------------

    private static readonly string TwoProcedures = $$"""
        # Edge
        ## Restart
        {{Fence}}bash
        systemctl restart edge
        {{Fence}}
        ## Restore backup
        {{Fence}}bash
        restore <backup-id>
        {{Fence}}
        """;

    [Fact]
    public void Plan_NoProcedureGivenAndOnlyOne_ChoosesIt()
    {
        var plan = Plan(Parse($"## Restart\n{Fence}bash\nsystemctl restart edge\n{Fence}\n"), null);

        Assert.True(plan.IsRunnable);
        Assert.Equal("restart", plan.Procedure!.Slug);
        Assert.Single(plan.Steps);
    }

    [Fact]
    public void Plan_NoProcedureGivenAndSeveral_IsAProblemListingSlugs()
    {
        var plan = Plan(Parse(TwoProcedures), null);

        Assert.False(plan.IsRunnable);
        Assert.Null(plan.Procedure);
        Assert.Empty(plan.Steps);
        var problem = Assert.Single(plan.Problems);
        Assert.Null(problem.Parameter);
        Assert.Equal("runbook runbooks/test.md has 2 procedures; choose one of: restart, restore-backup", problem.Message);
    }

    [Theory]
    [InlineData("restore-backup")]
    [InlineData("Restore Backup")]
    [InlineData("RESTART")]
    public void Plan_ProcedureBySlugOrTitle_IsFound(string name)
    {
        var plan = Plan(Parse(TwoProcedures), name, ("backup-id", "b-1"));

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(name.ToLowerInvariant().Replace(' ', '-'), plan.Procedure!.Slug);
    }

    [Fact]
    public void Plan_ProcedureMisspelled_SuggestsTheClosest()
    {
        var plan = Plan(Parse(TwoProcedures), "restrat");

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("no procedure 'restrat' in runbook runbooks/test.md; did you mean `restart`?; choose one of: restart, restore-backup", problem.Message);
        Assert.Null(plan.Procedure);
    }

    [Fact]
    public void Plan_ProcedureUnknown_ListsProceduresWithoutAGuess()
    {
        var plan = Plan(Parse(TwoProcedures), "failover");

        Assert.Equal("no procedure 'failover' in runbook runbooks/test.md; choose one of: restart, restore-backup", Assert.Single(plan.Problems).Message);
    }

    [Fact]
    public void Plan_RunbookWithoutProcedures_SaysThereIsNothingToRun()
    {
        var plan = Plan(Parse("# Notes\n\nJust prose.\n"), null);

        Assert.Contains("has no procedures", Assert.Single(plan.Problems).Message);
        Assert.False(plan.IsRunnable);
    }

    // ---- Parameters ----------------------------------------------------------------------------

    private static readonly string Restore = $$"""
        ---
        params:
          - name: backup-id
            description: Which backup to restore
          - name: target
            default: primary
          - name: db-password
            secret: true
          - name: day
            pattern: '[0-9]{8}'
        ---
        ## Restore
        {{Fence}}bash {name=stop timeout=30s mutating=true}
        # Stop writers
        systemctl stop app
        {{Fence}}
        {{Fence}}bash {confirm=true}
        restore <backup-id> --to <target> --day <day>
        psql -c 'select count(*) from $TABLE'
        echo '<db-password>' | login
        {{Fence}}
        ### Rollback
        {{Fence}}bash
        systemctl start app <other>
        {{Fence}}
        ## Elsewhere
        {{Fence}}bash
        echo <unrelated>
        {{Fence}}
        """;

    private static RunbookPlan PlanRestore(params (string Name, string Value)[] values) => Plan(Parse(Restore), "restore", values);

    private static readonly (string, string)[] GoodValues =
        [("backup-id", "b-1"), ("db-password", "s3cr3t"), ("day", "20250131"), ("other", "x")];

    [Fact]
    public void Plan_AllValuesGood_IsRunnableWithEnvironmentShownAndSteps()
    {
        var plan = PlanRestore(GoodValues);

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["VIGIL_PARAM_backup_id"] = "b-1", ["VIGIL_PARAM_target"] = "primary", ["VIGIL_PARAM_day"] = "20250131",
                ["VIGIL_PARAM_db_password"] = "s3cr3t", ["VIGIL_PARAM_other"] = "x",
            },
            plan.Environment.OrderBy(e => e.Key).ToDictionary());
        Assert.DoesNotContain("VIGIL_PARAM_unrelated", plan.Environment.Keys);

        var stop = plan.Steps[0];
        Assert.Equal((1, false, "stop", "Stop writers", 13), (stop.Index, stop.InRollback, stop.Name, stop.Description, stop.Line));
        Assert.Equal((TimeSpan.FromSeconds(30), true, false), (stop.Timeout, stop.Mutating, stop.Confirm));
        Assert.Empty(stop.Parameters);

        var restore = plan.Steps[1];
        Assert.Equal((TimeSpan.FromMinutes(5), true), (restore.Timeout, restore.Confirm));
        Assert.Equal(["backup-id", "target", "db-password", "day"], restore.Parameters);
        Assert.Equal(
            "restore \"${VIGIL_PARAM_backup_id}\" --to \"${VIGIL_PARAM_target}\" --day \"${VIGIL_PARAM_day}\"\n"
            + "psql -c 'select count(*) from $TABLE'\n"
            + "echo ''\"${VIGIL_PARAM_db_password}\"'' | login",
            restore.Script);
        Assert.StartsWith("restore <backup-id>", restore.Code);

        var rollback = Assert.Single(plan.Rollback);
        Assert.Equal((1, true, "systemctl start app \"${VIGIL_PARAM_other}\""), (rollback.Index, rollback.InRollback, rollback.Script));
        Assert.Equal(["other"], rollback.Parameters);
    }

    [Fact]
    public void Plan_SecretParameter_IsMaskedInShownAndListedForRedaction()
    {
        var plan = PlanRestore(GoodValues);

        Assert.Equal("••••••", plan.Shown["db-password"]);
        Assert.Equal("b-1", plan.Shown["backup-id"]);
        Assert.Equal("primary", plan.Shown["target"]);
        Assert.Equal(["s3cr3t"], plan.SecretValues);
        Assert.Equal("s3cr3t", plan.Environment["VIGIL_PARAM_db_password"]);
        Assert.All(plan.Steps.Concat(plan.Rollback), s => Assert.DoesNotContain("s3cr3t", s.Script));
    }

    [Fact]
    public void Plan_MissingParameter_SaysWhereItIsUsedAndHowToPassIt()
    {
        var plan = PlanRestore(GoodValues.Where(v => v.Item1 is not ("backup-id" or "other")).ToArray());

        Assert.False(plan.IsRunnable);
        Assert.Equal(
            [
                new PlanProblem("backup-id", "missing parameter backup-id (Which backup to restore; used in step 2, line 18): pass --param backup-id=VALUE"),
                new PlanProblem("other", "missing parameter other (used in rollback step 1, line 24): pass --param other=VALUE"),
            ],
            plan.Problems);
        Assert.DoesNotContain("VIGIL_PARAM_backup_id", plan.Environment.Keys);
    }

    [Fact]
    public void Plan_DefaultValue_IsUsedUnlessAValueIsGiven()
    {
        Assert.Equal("primary", PlanRestore(GoodValues).Environment["VIGIL_PARAM_target"]);
        Assert.Equal("replica", PlanRestore([.. GoodValues, ("target", "replica")]).Environment["VIGIL_PARAM_target"]);
    }

    [Fact]
    public void Plan_UnknownParameterGiven_NamesTheKnownOnesAndSuggests()
    {
        var plan = PlanRestore([.. GoodValues, ("backup_id", "b-2")]);

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("backup_id", problem.Parameter);
        Assert.Equal(
            "unknown parameter backup_id: runbook runbooks/test.md takes backup-id, target, db-password, day, other, unrelated; did you mean `backup-id`?",
            problem.Message);
    }

    [Fact]
    public void Plan_ParameterOfAnotherProcedureGiven_IsCheckedAndPassedOn()
    {
        Assert.Equal("u-1", PlanRestore([.. GoodValues, ("unrelated", "u-1")]).Environment["VIGIL_PARAM_unrelated"]);

        var bad = PlanRestore([.. GoodValues, ("unrelated", "u 1")]);
        Assert.Equal("the value \"u 1\" of parameter unrelated does not match the default pattern ^[A-Za-z0-9._:/@+=-]{1,256}$; pass --param unrelated=VALUE with a value that matches",
            Assert.Single(bad.Problems).Message);
    }

    [Fact]
    public void Plan_ValueNotMatchingDefaultPattern_IsAProblemThatShowsTheValue()
    {
        var plan = PlanRestore([.. GoodValues.Where(v => v.Item1 != "backup-id"), ("backup-id", "b 1; rm -rf /\n")]);

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("backup-id", problem.Parameter);
        Assert.Equal(
            "the value \"b 1; rm -rf /\\n\" of parameter backup-id (used in step 2, line 18) does not match the default pattern ^[A-Za-z0-9._:/@+=-]{1,256}$; pass --param backup-id=VALUE with a value that matches",
            problem.Message);
        Assert.DoesNotContain("VIGIL_PARAM_backup_id", plan.Environment.Keys);
        Assert.DoesNotContain("backup-id", plan.Shown.Keys);
    }

    [Fact]
    public void Plan_TrailingNewline_DoesNotSlipPastTheEndAnchor()
    {
        var plan = PlanRestore([.. GoodValues.Where(v => v.Item1 != "backup-id"), ("backup-id", "b-1\n")]);

        Assert.Equal("backup-id", Assert.Single(plan.Problems).Parameter);
    }

    [Theory]
    [InlineData("20250131", true)]
    [InlineData("x20250131", false)]
    [InlineData("202501311", false)]
    [InlineData("2025-01-31", false)]
    public void Plan_DeclaredPatternWithoutAnchors_MustMatchTheWholeValue(string day, bool ok)
    {
        var plan = PlanRestore([.. GoodValues.Where(v => v.Item1 != "day"), ("day", day)]);

        Assert.Equal(ok, plan.IsRunnable);
        if (!ok)
        {
            Assert.Contains("does not match the pattern declared in front matter [0-9]{8}", Assert.Single(plan.Problems).Message);
        }
    }

    [Fact]
    public void Plan_BadSecretValue_IsAProblemThatDoesNotEchoIt()
    {
        var plan = PlanRestore([.. GoodValues.Where(v => v.Item1 != "db-password"), ("db-password", "hunter2 with spaces")]);

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("db-password", problem.Parameter);
        Assert.Equal(
            "the value of secret parameter db-password (not shown; used in step 2, line 20) does not match the default pattern ^[A-Za-z0-9._:/@+=-]{1,256}$; pass --param db-password=VALUE with a value that matches",
            problem.Message);
        Assert.DoesNotContain("hunter2", problem.Message);
        Assert.Contains("hunter2 with spaces", plan.SecretValues);
    }

    [Fact]
    public void Plan_NulCharacter_IsRejectedWhateverThePattern()
    {
        var permissive = Parse($"---\nparams:\n  - name: v\n    pattern: '[\\s\\S]*'\n---\n## P\n{Fence}bash\necho <v>\n{Fence}\n");

        var plan = Plan(permissive, null, ("v", "a\0b"));

        Assert.Contains("NUL character", Assert.Single(plan.Problems).Message);
        Assert.Empty(plan.Environment);
    }

    [Fact]
    public void Plan_InvalidDefaultValue_SaysToFixTheDefault()
    {
        var r = Parse($"---\nparams:\n  - name: v\n    default: two words\n---\n## P\n{Fence}bash\necho <v>\n{Fence}\n");

        var problem = Assert.Single(Plan(r, null).Problems);
        Assert.Equal("the default value \"two words\" of parameter v (used in step 1, line 8) does not match the default pattern ^[A-Za-z0-9._:/@+=-]{1,256}$; fix its default in the runbook's front matter or pass --param v=VALUE", problem.Message);
    }

    [Fact]
    public void Plan_InvalidPatterns_AreProblems()
    {
        var r = Parse($"## P\n{Fence}bash\necho <v>\n{Fence}\n");
        var broken = r with
        {
            Parameters = [r.Parameters[0] with { Kind = RunbookParameterKind.Declared, Declaration = new("v", null, null, "([a-z", false) }],
        };

        var declared = Assert.Single(Plan(broken, null, ("v", "abc")).Problems);
        Assert.StartsWith("parameter v declares a pattern '([a-z' that is not a valid regular expression (", declared.Message);
        Assert.EndsWith("); fix it in the runbook's front matter", declared.Message);

        var badDefault = RunbookPlanner.Plan(r, null, new Dictionary<string, string> { ["v"] = "abc" }, Options with { DefaultPattern = "[" });
        Assert.EndsWith("fix runbooks.param_pattern in the config", Assert.Single(badDefault.Problems).Message);
    }

    [Fact]
    public void Plan_CatastrophicPattern_TimesOutIntoAProblem()
    {
        var r = Parse($"---\nparams:\n  - name: v\n    pattern: '(a|aa)+$'\n---\n## P\n{Fence}bash\necho <v>\n{Fence}\n");

        var plan = Plan(r, null, ("v", new string('a', 60) + "!"));

        Assert.Contains("took longer than 100 ms; simplify the pattern", Assert.Single(plan.Problems).Message);
    }

    [Fact]
    public void Plan_TwoParametersSharingAnEnvironmentVariable_IsAProblem()
    {
        var r = Parse($"## P\n{Fence}bash\necho <a-b> <a_b>\n{Fence}\n");

        var plan = Plan(r, null, ("a-b", "1"), ("a_b", "2"));

        Assert.Equal("parameters a-b and a_b would both travel as VIGIL_PARAM_a_b; rename one of them in the runbook", Assert.Single(plan.Problems).Message);
    }

    // ---- Corpus --------------------------------------------------------------------------------

    [Fact]
    public void Plan_GrahmosPartialRecovery_PassesBackupIdThroughTheEnvironment()
    {
        var plan = Plan(Load("grahmos-operations-runbook.md"), "partial-recovery-data-only", ("backup-id", "b-1"));

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(new Dictionary<string, string> { ["VIGIL_PARAM_backup_id"] = "b-1" }, plan.Environment);
        var step = Assert.Single(plan.Steps);
        Assert.Contains("./scripts/disaster-recovery.sh restore \"${VIGIL_PARAM_backup_id}\" --data-only --dry-run\n", step.Script);
        Assert.Contains("./scripts/disaster-recovery.sh restore \"${VIGIL_PARAM_backup_id}\" --data-only", step.Script);
        Assert.DoesNotContain("<backup-id>", step.Script);
        Assert.DoesNotContain("b-1", step.Script);
    }

    [Fact]
    public void Plan_GrahmosServiceUnavailable_RewritesServiceName()
    {
        var plan = Plan(Load("grahmos-operations-runbook.md"), "service-unavailable", ("service-name", "edge-api"));

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(new Dictionary<string, string> { ["VIGIL_PARAM_service_name"] = "edge-api" }, plan.Environment);
        Assert.Contains("docker-compose restart \"${VIGIL_PARAM_service_name}\"\n", plan.Steps[0].Script);
    }

    [Fact]
    public void Plan_BizraQuickFixes_RewritesPodNameOnEveryLine()
    {
        var plan = Plan(Load("bizra-operations-runbook.md"), "Common Issue Quick Fixes", ("pod-name", "bizra-api-7d9f"));

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(new Dictionary<string, string> { ["VIGIL_PARAM_pod_name"] = "bizra-api-7d9f" }, plan.Environment);
        var script = plan.Steps[0].Script;
        Assert.Contains("kubectl describe pod \"${VIGIL_PARAM_pod_name}\" -n bizra-system\n", script);
        Assert.Contains("kubectl logs \"${VIGIL_PARAM_pod_name}\" -n bizra-system --previous\n", script);
        Assert.Contains("kubectl delete pod \"${VIGIL_PARAM_pod_name}\" -n bizra-system", script);
        Assert.Equal(["pod-name"], plan.Steps[0].Parameters);
    }

    [Fact]
    public void Plan_BizraSecretRotation_ClosesAndReopensSingleQuotes()
    {
        var plan = Plan(Load("bizra-operations-runbook.md"), "secret-rotation", ("new-password", "pw-1"), ("new-key", "k-1"));

        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Contains("--from-literal=NEO4J_PASSWORD=''\"${VIGIL_PARAM_new_password}\"'' \\", plan.Steps[0].Script);
        Assert.Contains("--from-literal=SECRET_KEY=''\"${VIGIL_PARAM_new_key}\"'' \\", plan.Steps[0].Script);
    }

    [Fact]
    public void Plan_GrahmosBlueGreenSwap_RewritesVariablesAndAsksForTheRest()
    {
        var runbook = Load("grahmos-operations-runbook.md");

        var partial = Plan(runbook, "blue-green-edge-swap", ("VER", "2025.01.31"));
        Assert.Equal(["health_check_failed", "PREV_VER"], partial.Problems.Select(p => p.Parameter));
        Assert.StartsWith("missing parameter health_check_failed (used in step 1, line 580)", partial.Problems[0].Message);

        var plan = Plan(runbook, "blue-green-edge-swap", ("VER", "2025.01.31"), ("PREV_VER", "2025.01.24"), ("health_check_failed", "0"));
        Assert.True(plan.IsRunnable, string.Join("\n", plan.Problems));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["VIGIL_PARAM_VER"] = "2025.01.31", ["VIGIL_PARAM_PREV_VER"] = "2025.01.24", ["VIGIL_PARAM_health_check_failed"] = "0",
            },
            plan.Environment.ToDictionary());
        var script = Assert.Single(plan.Steps).Script;
        Assert.Contains("mkdir -p /data/indexes/releases/${VIGIL_PARAM_VER}\n", script);
        Assert.Contains("cp -r new_index/* /data/indexes/releases/${VIGIL_PARAM_VER}/\n", script);
        Assert.Contains("--data '{\"index\": \"'${VIGIL_PARAM_VER}'\"}'\n", script);
        Assert.Contains("ln -sfn /data/indexes/releases/${VIGIL_PARAM_PREV_VER} /data/indexes/current", script);
        Assert.Contains("if [ ${VIGIL_PARAM_health_check_failed} ]; then", script);
        Assert.Contains("watch -n 30 './scripts/health-check.sh --monitor-swap'", script);
        Assert.DoesNotContain("$VER", script);
    }
}
