using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class RunbookBranchesTests
{
    private const string Fence = "```";

    private static readonly RunbookPlanOptions Options = new("^[A-Za-z0-9._:/@+=-]{1,256}$", TimeSpan.FromMinutes(5));

    private const string Triage = $$"""
        # Pod triage

        ## Triage

        {{Fence}}bash {name=status}
        kubectl get pod web-0
        {{Fence}}

        {{Fence}}bash {name=logs when="$STEP_OUTPUT =~ CrashLoopBackOff" on_fail="#diagnose-oom"}
        kubectl logs web-0 --previous | grep -v OOMKilled
        {{Fence}}

        {{Fence}}bash {name=verify}
        kubectl get pod web-0
        {{Fence}}

        ### Diagnose OOM

        {{Fence}}bash {name=oom when="$STEP_OUTPUT =~ OOMKilled" on_fail="#page-owner"}
        kubectl set resources deploy/web --limits=memory=1Gi
        {{Fence}}

        ### Page owner

        {{Fence}}bash {name=page}
        echo "paging the owner of <service>"
        {{Fence}}

        ## Rollback

        {{Fence}}bash
        echo restore
        {{Fence}}
        """;

    private static Runbook Parse(string markdown) => RunbookParser.Parse(markdown, "triage.md");

    private static List<LintFinding> BranchFindings(string markdown) =>
        RunbookLinter.Lint(Parse(markdown), markdown, new LintContext(new DateOnly(2026, 12, 1), null)).Where(f => f.Rule == "branch").ToList();

    private static StepCondition ReadWhen(string attributes)
    {
        var errors = new List<string>();
        var parsed = RunbookAttributes.Parse(attributes, errors);
        Assert.Empty(errors);
        Assert.True(StepConditions.TryRead(parsed, out var condition, out var error), error);
        return condition!;
    }

    private static string WhenError(string attributes)
    {
        Assert.False(StepConditions.TryRead(RunbookAttributes.Parse(attributes, []), out var condition, out var error));
        Assert.Null(condition);
        return error!;
    }

    [Fact]
    public void TryRead_WhenWithMatch_ReadsPatternAndPreviousStep()
    {
        var condition = ReadWhen("{when=\"$STEP_OUTPUT =~ CrashLoopBackOff\"}");

        Assert.Equal("CrashLoopBackOff", condition.Pattern);
        Assert.False(condition.Negated);
        Assert.Null(condition.From);
        Assert.Equal("when the previous step's output matches /CrashLoopBackOff/", condition.Describe());
    }

    [Fact]
    public void TryRead_NegatedWithFromAndBraces_ReadsAll()
    {
        var condition = ReadWhen("{when=\"${STEP_OUTPUT} !~ ^ready$\" from=status}");

        Assert.True(condition.Negated);
        Assert.Equal("^ready$", condition.Pattern);
        Assert.Equal("status", condition.From);
        Assert.Equal("when the output of step status does not match /^ready$/", condition.Describe());
    }

    [Theory]
    [InlineData("{when=\"CrashLoopBackOff\"}", "does not test $STEP_OUTPUT")]
    [InlineData("{when=\"$STEP_OUTPUTS =~ x\"}", "does not test $STEP_OUTPUT")]
    [InlineData("{when=\"$STEP_OUTPUT == x\"}", "no =~ or !~")]
    [InlineData("{when=\"$STEP_OUTPUT =~ \"}", "no pattern")]
    [InlineData("{when=\"$STEP_OUTPUT =~ ([a-z\"}", "not a valid regular expression")]
    [InlineData("{from=status}", "has no when=")]
    [InlineData("{when=\"$STEP_OUTPUT =~ x\" from=\"\"}", "from= is empty")]
    public void TryRead_BadCondition_SaysWhatAndHow(string attributes, string expected)
    {
        var error = WhenError(attributes);

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MatchingOutput_Runs_and_CleanOutput_Skips()
    {
        var condition = ReadWhen("{when=\"$STEP_OUTPUT =~ CrashLoopBackOff\"}");

        Assert.Equal(ConditionVerdict.Run, StepConditions.Evaluate(condition, "NAME READY STATUS\nweb-0 0/1 CrashLoopBackOff\n").Verdict);
        var skip = StepConditions.Evaluate(condition, "web-0 1/1 Running\n");
        Assert.Equal(ConditionVerdict.Skip, skip.Verdict);
        Assert.Equal("the previous step's output does not match /CrashLoopBackOff/", skip.Message);
    }

    [Fact]
    public void Evaluate_Negated_RunsOnlyWithoutMatch_and_AnchorsMatchPerLine()
    {
        var condition = ReadWhen("{when=\"$STEP_OUTPUT !~ ^Running$\"}");

        Assert.Equal(ConditionVerdict.Skip, StepConditions.Evaluate(condition, "pending\nRunning\n").Verdict);
        Assert.Equal(ConditionVerdict.Run, StepConditions.Evaluate(condition, "web-0 Running\n").Verdict);
    }

    [Fact]
    public void Evaluate_NoOutputYet_Skips()
    {
        var decision = StepConditions.Evaluate(ReadWhen("{when=\"$STEP_OUTPUT =~ x\" from=status}"), null);

        Assert.Equal(ConditionVerdict.Skip, decision.Verdict);
        Assert.Contains("no step named status has run", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CatastrophicPattern_IsAnErrorNotAHang()
    {
        var decision = StepConditions.Evaluate(new StepCondition("x", "^(a+)+$", false, null), new string('a', 40_000) + "!");

        Assert.Equal(ConditionVerdict.Error, decision.Verdict);
        Assert.Contains("took longer than 2000 ms", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OutputIsMatchedAsData_NotEvaluated()
    {
        // A pattern or output holding shell syntax is only text to the regex engine.
        var condition = ReadWhen("{when=\"$STEP_OUTPUT =~ \\$\\(touch x\\)\"}");

        Assert.Equal(ConditionVerdict.Run, StepConditions.Evaluate(condition, "literal $(touch x) in output").Verdict);
        Assert.Equal(ConditionVerdict.Skip, StepConditions.Evaluate(condition, "`touch x`").Verdict);
    }

    [Theory]
    [InlineData("#diagnose-oom", "diagnose-oom")]
    [InlineData("diagnose-oom", "diagnose-oom")]
    [InlineData(" #Diagnose-OOM ", "Diagnose-OOM")]
    public void TryReadTarget_Anchor_ReadsIt(string value, string expected)
    {
        Assert.True(RunbookBranches.TryReadTarget(value, out var anchor, out var error), error);
        Assert.Equal(expected, anchor);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("other.md#x")]
    [InlineData("https://example.com/#x")]
    [InlineData("#two words")]
    public void TryReadTarget_NotAnAnchor_IsAnError(string value)
    {
        Assert.False(RunbookBranches.TryReadTarget(value, out _, out var error));
        Assert.Contains("on_fail=\"#slug\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubHeadingOfAProcedure_RecordsItsParent()
    {
        var runbook = Parse(Triage);

        Assert.Equal(["triage", "diagnose-oom", "page-owner", "rollback"], runbook.Procedures.Select(p => p.Slug));
        Assert.Null(runbook.FindProcedure("triage")!.Parent);
        Assert.Equal("triage", runbook.FindProcedure("diagnose-oom")!.Parent);
        Assert.Equal("triage", runbook.FindProcedure("page-owner")!.Parent);
    }

    [Fact]
    public void Edges_and_Reachable_FollowOnFailTransitively()
    {
        var runbook = Parse(Triage);

        Assert.Equal([("triage", "logs", "diagnose-oom"), ("diagnose-oom", "oom", "page-owner")],
            RunbookBranches.Edges(runbook).Select(e => (e.From, e.Step.Name, e.To)));
        Assert.Equal(["triage", "diagnose-oom", "page-owner"], RunbookBranches.Reachable(runbook, "triage"));
        Assert.Equal(["page-owner"], RunbookBranches.Reachable(runbook, "page-owner"));
        Assert.Empty(RunbookBranches.Problems(runbook));
    }

    [Fact]
    public void Plan_WithBranches_PlansReachableProceduresAndTheirParameters()
    {
        var plan = RunbookPlanner.Plan(Parse(Triage), "triage", new Dictionary<string, string> { ["service"] = "web" }, Options);

        Assert.True(plan.IsRunnable, string.Join("; ", plan.Problems.Select(p => p.Message)));
        Assert.Equal(["diagnose-oom", "page-owner"], plan.Branches.Select(b => b.Slug));
        Assert.Equal("diagnose-oom", plan.Steps[1].OnFail);
        Assert.NotNull(plan.Steps[1].When);
        Assert.True(plan.Branches[0].Steps[0].InBranch);
        Assert.Equal("web", plan.Environment["VIGIL_PARAM_service"]);
        Assert.Contains(plan.AllSteps, s => s.Name == "page");
    }

    [Fact]
    public void Plan_BranchParameterMissing_IsAProblem()
    {
        var plan = RunbookPlanner.Plan(Parse(Triage), "triage", new Dictionary<string, string>(), Options);

        Assert.Contains(plan.Problems, p => p.Parameter == "service");
    }

    [Fact]
    public void Tree_DrawsStepsConditionsAndBranches()
    {
        var plan = RunbookPlanner.Plan(Parse(Triage), "triage", new Dictionary<string, string> { ["service"] = "web" }, Options);

        Assert.Equal(
            [
                "triage",
                "├─ step 1 status",
                "├─ step 2 logs  [when the previous step's output matches /CrashLoopBackOff/, else skipped]",
                "│  └─ on failure → diagnose-oom",
                "│     └─ step 1 oom  [when the previous step's output matches /OOMKilled/, else skipped]",
                "│        └─ on failure → page-owner",
                "│           └─ step 1 page",
                "└─ step 3 verify",
            ],
            RunbookBranches.Tree(plan));
    }

    [Fact]
    public void Lint_Cycle_IsReportedOnceWithItsPathAndLine()
    {
        var markdown = $$"""
            # Loop

            ## First

            {{Fence}}bash {name=a on_fail="#second"}
            false
            {{Fence}}

            ## Second

            {{Fence}}bash {name=b on_fail="#first"}
            false
            {{Fence}}
            """;

        var finding = Assert.Single(BranchFindings(markdown));

        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(11, finding.Line);
        Assert.Contains("closes a cycle: first → second → first", finding.Message, StringComparison.Ordinal);
        var plan = RunbookPlanner.Plan(Parse(markdown), "first", new Dictionary<string, string>(), Options);
        Assert.False(plan.IsRunnable);
        Assert.Contains(plan.Problems, p => p.Message.Contains("closes a cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_SelfLoop_IsACycle()
    {
        var markdown = $$"""
            ## Retry

            {{Fence}}bash {on_fail="#retry"}
            false
            {{Fence}}
            """;

        Assert.Contains("closes a cycle: retry → retry", Assert.Single(BranchFindings(markdown)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_UnknownTarget_NamesTheLineAndSuggests()
    {
        var markdown = $$"""
            ## Triage

            {{Fence}}bash {name=logs on_fail="#diagnose-oon"}
            false
            {{Fence}}

            ## Diagnose OOM

            {{Fence}}bash
            echo oom
            {{Fence}}
            """;

        var finding = Assert.Single(BranchFindings(markdown));

        Assert.Equal(3, finding.Line);
        Assert.Contains("no procedure of this file has that anchor; did you mean `#diagnose-oom`?", finding.Message, StringComparison.Ordinal);
        Assert.Contains("#triage, #diagnose-oom", finding.Fix, StringComparison.Ordinal);
        var plan = RunbookPlanner.Plan(Parse(markdown), "triage", new Dictionary<string, string>(), Options);
        Assert.False(plan.IsRunnable);
    }

    [Fact]
    public void Lint_UnreachableSubProcedure_OfABranchingProcedure_IsReported()
    {
        var markdown = Triage.Replace(" on_fail=\"#page-owner\"", "", StringComparison.Ordinal);

        var finding = Assert.Single(BranchFindings(markdown));

        Assert.Contains("procedure page-owner sits under triage", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Parse(markdown).FindProcedure("page-owner")!.Line, finding.Line);
        // Not a reason to refuse a run: nothing in the run reaches it.
        Assert.True(RunbookPlanner.Plan(Parse(markdown), "triage", new Dictionary<string, string> { ["service"] = "web" }, Options).IsRunnable);
    }

    [Fact]
    public void Lint_SubProceduresOfAProcedureThatDoesNotBranch_AreFine()
    {
        var markdown = $$"""
            ## Upgrade

            {{Fence}}bash
            echo upgrade
            {{Fence}}

            ### Verify

            {{Fence}}bash
            echo verify
            {{Fence}}
            """;

        Assert.Empty(BranchFindings(markdown));
    }

    [Fact]
    public void Lint_OnFailOnRollbackStep_and_UnknownFrom_AreReported()
    {
        var markdown = $$"""
            ## Deploy

            {{Fence}}bash {name=go}
            echo go
            {{Fence}}

            {{Fence}}bash {when="$STEP_OUTPUT =~ x" from=og}
            echo maybe
            {{Fence}}

            ### Rollback

            {{Fence}}bash {on_fail="#deploy"}
            echo undo
            {{Fence}}
            """;

        var findings = BranchFindings(markdown);

        Assert.Equal(2, findings.Count);
        Assert.Contains("no step of this file has name=og; did you mean `go`?", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("a rollback step cannot branch", findings[1].Message, StringComparison.Ordinal);
    }
}
