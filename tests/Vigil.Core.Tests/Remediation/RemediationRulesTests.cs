using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Remediation;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Remediation;

/// <summary>Automatic remediation's guard rails as pure rules of (state, event, now), on a fake clock.</summary>
public sealed class RemediationRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private const string Yaml = """
        vigil: { name: t, environment: production }
        severities:
          - { id: P1, name: High, page: true, remediate: { runbook: page-fallback } }
          - { id: P3, name: Low }
        services:
          - id: web
            checks:
              - { id: health, tcp: { host: 127.0.0.1, port: 9 }, remediate: { runbook: restart, max_runs: 2 per 1h, cooldown: 10m } }
              - { id: plain, tcp: { host: 127.0.0.1, port: 9 } }
        runbooks:
          remediations:
            - { id: restart-api, runbook: restart, params: { service: api } }
        """;

    private const string Restart = """
        ---
        id: restart
        service: web
        ---
        # Restart

        ```bash {name=restart}
        systemctl restart web
        ```

        ```bash {name=check}
        curl -fsS http://127.0.0.1/health
        ```
        """;

    private static VigilConfig Config(string yaml = Yaml)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", _ => null);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }

    private static Incident Incident(string severity = "P3", IReadOnlyDictionary<string, string>? labels = null, IncidentStatus status = IncidentStatus.Triggered) =>
        new(7, "web down", severity, "web", status, "web/health", "system:checks", T0, null, null, status == IncidentStatus.Resolved ? T0 : null, null, null, null,
            true, 0, null, null, null, null, labels ?? new Dictionary<string, string>());

    private static IncidentSignal Signal(string key, SignalSource source = SignalSource.Check, IReadOnlyDictionary<string, string>? labels = null) =>
        new(7, key, source, SignalStatus.Firing, key, "P3", "web", labels ?? new Dictionary<string, string>(), T0, T0, null, null, 1, null);

    private static RunbookPlan Plan(string markdown = Restart) =>
        RunbookPlanner.Plan(RunbookParser.Parse(markdown, "runbooks/restart.md"), null, new Dictionary<string, string>(), RunbookPlanOptions.From(new RunbooksConfig()));

    private static RemediationFacts Facts(IReadOnlyList<DateTimeOffset>? starts = null, IReadOnlyList<Freeze>? freezes = null, string? approvalIn = null,
        RunbookPlan? plan = null, Incident? incident = null)
    {
        var config = Config();
        var choice = RemediationRules.Resolve(config, incident ?? Incident(), [Signal("web/health")])!;
        return new RemediationFacts(choice, incident ?? Incident(), "web", freezes ?? [], plan ?? Plan(), approvalIn, starts ?? []);
    }

    [Fact]
    public void Resolve_CheckFirst_ThenTheLabel_ThenTheSeverity_AndNothingWhenNoneIsConfigured()
    {
        var config = Config();
        var byCheck = RemediationRules.Resolve(config, Incident("P1", new Dictionary<string, string> { ["remediate"] = "restart-api" }), [Signal("web/health")])!;
        Assert.Equal(("check web/health", "check:web/health", "restart"), (byCheck.Origin, byCheck.Key, byCheck.Remediation!.Runbook));

        var byLabel = RemediationRules.Resolve(config, Incident("P1"), [Signal("am-1", SignalSource.Alertmanager, new Dictionary<string, string> { ["remediate"] = "restart-api" })])!;
        Assert.Equal(("label remediate=restart-api", "label:restart-api@web"), (byLabel.Origin, byLabel.Key));
        Assert.Equal("api", byLabel.Remediation!.Params["service"]);

        var bySeverity = RemediationRules.Resolve(config, Incident("P1"), [Signal("web/plain")])!;
        Assert.Equal(("severity P1", "severity:P1@web", "page-fallback"), (bySeverity.Origin, bySeverity.Key, bySeverity.Remediation!.Runbook));

        Assert.Null(RemediationRules.Resolve(config, Incident("P3"), [Signal("web/plain")])); // off by default
    }

    [Fact]
    public void Resolve_ALabelNamingNoRemediation_CannotRun_AndSaysWhichIdsExist()
    {
        var choice = RemediationRules.Resolve(Config(), Incident(labels: new Dictionary<string, string> { ["remediate"] = "rm-rf" }), [])!;
        Assert.Null(choice.Remediation);
        var decision = RemediationRules.Decide(new RemediationFacts(choice, Incident(), null, [], Plan(), null, []), T0);
        Assert.False(decision.Run);
        Assert.Equal("the signal's label remediate=rm-rf names no entry of runbooks.remediations (ids: restart-api); nothing ran", decision.Reason);
    }

    [Fact]
    public void Decide_Runs_WhenNothingStandsInTheWay()
    {
        var decision = RemediationRules.Decide(Facts(), T0);
        Assert.True(decision.Run, decision.Reason);
        Assert.Equal("Remediation restart › restart (check web/health): run 1 of at most 2 per 1h", decision.Reason);
    }

    [Fact]
    public void Decide_NeverDuringAFreeze_OnTheRunbooksOrTheIncidentsService_OrEverywhere()
    {
        var onWeb = new Freeze(3, "web", "release week", "alice", T0, null, null);
        var decision = RemediationRules.Decide(Facts(freezes: [onWeb]), T0);
        Assert.False(decision.Run);
        Assert.Equal("Remediation restart › restart (check web/health) not run: service web is frozen (freeze #3 by alice: release week); remediation never runs during a freeze",
            decision.Reason);

        Assert.False(RemediationRules.Decide(Facts(freezes: [new Freeze(4, null, "holidays", "bob", T0, null, null)]), T0).Run);
        Assert.True(RemediationRules.Decide(Facts(freezes: [new Freeze(5, "db", "other", "bob", T0, null, null)]), T0).Run);
        Assert.True(RemediationRules.Decide(Facts(freezes: [onWeb with { LiftedAt = T0, LiftedBy = "alice" }]), T0).Run);
    }

    [Fact]
    public void Decide_NeverAProcedureNeedingApproval_OrAConfirmation()
    {
        var approval = RemediationRules.Decide(Facts(approvalIn: "production"), T0);
        Assert.False(approval.Run);
        Assert.Contains("steps 1 (restart) change something, and runs need approval in production (runbooks.require_approval_in); remediation never waits for a person",
            approval.Reason, StringComparison.Ordinal);

        // A procedure that only reads needs no approval, even there.
        var readOnly = Plan(Restart.Replace("systemctl restart web", "systemctl status web", StringComparison.Ordinal));
        Assert.True(RemediationRules.Decide(Facts(approvalIn: "production", plan: readOnly), T0).Run);

        var confirm = RemediationRules.Decide(Facts(plan: Plan(Restart.Replace("{name=check}", "{name=check confirm=true}", StringComparison.Ordinal))), T0);
        Assert.False(confirm.Run);
        Assert.Contains("steps 2 (check) are marked confirm=true, and remediation runs unattended", confirm.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CooldownThenMaxRunsPerWindow_OnAMovingClock()
    {
        var time = new FakeTimeProvider(T0);
        var starts = new List<DateTimeOffset>();
        RemediationDecision Next() => RemediationRules.Decide(Facts(starts: [.. starts]), time.GetUtcNow());

        Assert.True(Next().Run);
        starts.Add(time.GetUtcNow()); // 10:00

        time.Advance(TimeSpan.FromMinutes(9));
        var cooling = Next();
        Assert.False(cooling.Run);
        Assert.Contains("cooling down until 10:10:00 UTC (last run at 10:00:00 UTC, cooldown 10m)", cooling.Reason, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1)); // 10:10: the cooldown has passed
        var second = Next();
        Assert.True(second.Run, second.Reason);
        Assert.EndsWith("run 2 of at most 2 per 1h", second.Reason, StringComparison.Ordinal);
        starts.Add(time.GetUtcNow());

        time.Advance(TimeSpan.FromMinutes(20)); // 10:30: two runs inside the hour
        var limited = Next();
        Assert.False(limited.Run);
        Assert.Contains("it already ran 2 time(s) in the last 1h (max_runs: 2 per 1h)", limited.Reason, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(30)); // 11:00: the 10:00 run is exactly an hour old and no longer counts
        var again = Next();
        Assert.True(again.Run, again.Reason);
        Assert.EndsWith("run 2 of at most 2 per 1h", again.Reason, StringComparison.Ordinal);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromHours(1), RemediationRules.CountsSince(Facts().Choice.Remediation!, time.GetUtcNow()));
    }

    [Fact]
    public void Decide_NotForAnIncidentAlreadyResolved_NorAnUnrunnablePlan()
    {
        var resolved = Incident(status: IncidentStatus.Resolved);
        Assert.Equal("Remediation restart › restart (check web/health) not run: the incident is resolved already",
            RemediationRules.Decide(Facts(incident: resolved), T0).Reason);

        var bad = RunbookPlanner.Plan(RunbookParser.Parse(Restart, "runbooks/restart.md"), "nope", new Dictionary<string, string>(), RunbookPlanOptions.From(new RunbooksConfig()));
        var decision = RemediationRules.Decide(Facts(plan: bad), T0);
        Assert.False(decision.Run);
        Assert.Contains("cannot run:", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2 per 1h", 2, 60)]
    [InlineData("1 PER 30m", 1, 30)]
    [InlineData(" 100 per 7d ", 100, 10080)]
    public void RunLimit_Parses(string text, int count, int minutes)
    {
        Assert.True(RunLimit.TryParse(text, out var limit, out var error), error);
        Assert.Equal(new RunLimit(count, TimeSpan.FromMinutes(minutes)), limit);
        Assert.True(RunLimit.TryParse(limit.ToConfigString(), out var again, out _));
        Assert.Equal(limit, again);
    }

    [Theory]
    [InlineData("2", "write a count, `per` and a duration")]
    [InlineData("0 per 1h", "`0` is not a count from 1 to 100")]
    [InlineData("two per 1h", "`two` is not a count")]
    [InlineData("2 per forever", "`forever` is not a duration from 1s to 7d")]
    [InlineData("2 per 8d", "`8d` is not a duration from 1s to 7d")]
    [InlineData("2 each 1h", "write a count, `per` and a duration")]
    public void RunLimit_RefusesWithAFix(string text, string expected)
    {
        Assert.False(RunLimit.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_ReportsBadRemediationsWithTheirPlace()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: t }
            services:
              - id: web
                checks:
                  - { id: health, tcp: { host: 127.0.0.1, port: 9 }, remediate: { runbook: restart, max_runs: lots } }
            runbooks:
              remediations:
                - { runbook: restart }
                - { id: a, runbook: x }
                - { id: a, runbook: y }
            """, "vigil.yaml", _ => null);
        Assert.False(result.Success);
        var errors = string.Join("\n", result.Errors);
        Assert.Contains("services[0].checks[0].remediate.max_runs", errors, StringComparison.Ordinal);
        Assert.Contains("needs an `id`", errors, StringComparison.Ordinal);
        Assert.Contains("remediation `a` is defined twice", errors, StringComparison.Ordinal);
    }
}
