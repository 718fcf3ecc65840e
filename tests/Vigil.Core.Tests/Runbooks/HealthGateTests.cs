using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class HealthGateTests
{
    private const string Fence = "```";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private static HealthGate Read(string attributes)
    {
        var errors = new List<string>();
        var parsed = RunbookAttributes.Parse(attributes, errors);
        Assert.Empty(errors);
        Assert.True(HealthGates.TryRead(parsed, out var gate, out var error), error);
        return gate!;
    }

    private static string ReadError(string attributes)
    {
        var parsed = RunbookAttributes.Parse(attributes, []);
        Assert.False(HealthGates.TryRead(parsed, out var gate, out var error));
        Assert.Null(gate);
        return error!;
    }

    [Fact]
    public void TryRead_WaitWithDurationAndTimeout_ReadsTargetDurationAndTimeout()
    {
        var gate = Read("{wait=\"check:api/health ok for 2m\" timeout=10m}");

        Assert.Equal(HealthGateKind.Wait, gate.Kind);
        Assert.Equal(new HealthGateTarget("api", "health"), gate.Target);
        Assert.Equal(TimeSpan.FromMinutes(2), gate.For);
        Assert.Equal(TimeSpan.FromMinutes(10), gate.Timeout);
        Assert.Equal("wait until check api/health is ok for 2m; fail after 10m", gate.Describe(DefaultTimeout));
    }

    [Fact]
    public void TryRead_WatchOfService_ReadsItsDuration()
    {
        var gate = Read("{watch=\"service:api\" for=10m}");

        Assert.Equal(HealthGateKind.Watch, gate.Kind);
        Assert.Equal(new HealthGateTarget("api", null), gate.Target);
        Assert.Equal(TimeSpan.FromMinutes(10), gate.For);
        Assert.Contains("watch service api for 10m", gate.Describe(DefaultTimeout));
    }

    [Fact]
    public void TryRead_NoGate_IsTrueWithNoGate()
    {
        Assert.True(HealthGates.TryRead(new Dictionary<string, string> { ["name"] = "x" }, out var gate, out var error));
        Assert.Null(gate);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("{wait=\"api/health ok\"}", "names neither check:SERVICE/CHECK nor service:SERVICE")]
    [InlineData("{wait=\"check:api ok\"}", "'check:api' is not check:SERVICE/CHECK")]
    [InlineData("{wait=\"check:api/health critical\"}", "a wait waits for `ok`, not 'critical'")]
    [InlineData("{wait=\"check:api/health ok for soon\"}", "after `ok` comes `for DURATION`")]
    [InlineData("{wait=\"check:api/health ok for 10m\" timeout=5m}", "can never pass")]
    [InlineData("{wait=\"check:api/health\" for=2m}", "inside the expression")]
    [InlineData("{watch=\"service:api\"}", "needs for=DURATION")]
    [InlineData("{watch=\"service:api\" for=forever}", "for='forever' is not a duration")]
    [InlineData("{watch=\"service:api ok\" for=1m}", "names one check or service")]
    [InlineData("{watch=\"service:api\" wait=\"service:api ok\" for=1m}", "either wait= or watch=")]
    [InlineData("{for=1m}", "belongs to a watch")]
    public void TryRead_BadExpression_SaysWhatIsWrongAndTheForm(string attributes, string expected)
    {
        var error = ReadError(attributes);

        Assert.Contains(expected, error);
    }

    [Fact]
    public void Evaluate_WaitForCheckOkTwoMinutes_PassesOnlyAfterTwoMinutesOfOk()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var gate = Read("{wait=\"check:api/health ok for 2m\" timeout=10m}");
        var began = time.GetUtcNow();
        var okSince = began.AddSeconds(30);
        GateCheck[] Checks() => time.GetUtcNow() < okSince
            ? [new("api/health", HealthState.Critical, began.AddMinutes(-5), "HTTP 503 (expected 200)", false), new("api/other", HealthState.Critical, began, null, false)]
            : [new("api/health", HealthState.Ok, okSince, "HTTP 200", false), new("api/other", HealthState.Critical, began, null, false)];

        var first = HealthGates.Evaluate(gate, Checks(), began, time.GetUtcNow(), DefaultTimeout);
        Assert.Equal(GateVerdict.Pending, first.Verdict);
        Assert.Contains("check api/health is critical since 11:55:00 UTC (HTTP 503 (expected 200))", first.Message);

        time.Advance(TimeSpan.FromMinutes(2)); // ok for 1m30s only
        var almost = HealthGates.Evaluate(gate, Checks(), began, time.GetUtcNow(), DefaultTimeout);
        Assert.Equal(GateVerdict.Pending, almost.Verdict);
        Assert.Contains("to go", almost.Message);

        time.Advance(TimeSpan.FromSeconds(30));
        var passed = HealthGates.Evaluate(gate, Checks(), began, time.GetUtcNow(), DefaultTimeout);
        Assert.Equal(GateVerdict.Passed, passed.Verdict);
        Assert.Equal("check api/health has been ok for 2m (since 12:00:30 UTC)", passed.Message);
    }

    [Fact]
    public void Evaluate_WaitNeverOk_FailsAtItsTimeoutNamingTheCheckAndWhy()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var gate = Read("{wait=\"service:api ok for 1m\" timeout=3m}");
        var began = time.GetUtcNow();
        GateCheck[] checks =
        [
            new("api/health", HealthState.Ok, began.AddHours(-1), null, false),
            new("api/latency", HealthState.Warning, began.AddMinutes(-1), "p95 0.8 s over 0.5 s", false),
            new("db/health", HealthState.Critical, began, null, false),
        ];

        time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
        Assert.Equal(GateVerdict.Pending, HealthGates.Evaluate(gate, checks, began, time.GetUtcNow(), DefaultTimeout).Verdict);
        time.Advance(TimeSpan.FromSeconds(1));
        var failed = HealthGates.Evaluate(gate, checks, began, time.GetUtcNow(), DefaultTimeout);

        Assert.Equal(GateVerdict.Failed, failed.Verdict);
        Assert.Equal("service api was not ok for 1m within 3m: check api/latency is warning since 11:59:00 UTC (p95 0.8 s over 0.5 s)", failed.Message);
    }

    [Fact]
    public void Evaluate_WaitWithoutTimeout_UsesTheDefaultTimeout()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var gate = Read("{wait=\"check:api/health ok\"}");
        GateCheck[] checks = [new("api/health", HealthState.Unknown, now, null, false)];

        Assert.Equal(GateVerdict.Pending, HealthGates.Evaluate(gate, checks, now, now.AddMinutes(9), DefaultTimeout).Verdict);
        Assert.Equal(GateVerdict.Failed, HealthGates.Evaluate(gate, checks, now, now.AddMinutes(10), DefaultTimeout).Verdict);
    }

    [Fact]
    public void Evaluate_WaitOnPausedCheck_NeverPasses()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var gate = Read("{wait=\"check:api/health ok\" timeout=1m}");
        GateCheck[] checks = [new("api/health", HealthState.Ok, now.AddHours(-1), null, true)];

        var decision = HealthGates.Evaluate(gate, checks, now, now.AddMinutes(1), DefaultTimeout);

        Assert.Equal(GateVerdict.Failed, decision.Verdict);
        Assert.Contains("paused", decision.Message);
    }

    [Fact]
    public void Evaluate_WatchWhileHealthy_PassesWhenItsDurationIsOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var gate = Read("{watch=\"service:api\" for=10m}");
        var began = time.GetUtcNow();
        GateCheck[] checks = [new("api/health", HealthState.Ok, began, null, false), new("api/latency", HealthState.Warning, began, "slow", false)];

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(GateVerdict.Pending, HealthGates.Evaluate(gate, checks, began, time.GetUtcNow(), DefaultTimeout).Verdict);
        time.Advance(TimeSpan.FromMinutes(1));
        var passed = HealthGates.Evaluate(gate, checks, began, time.GetUtcNow(), DefaultTimeout);

        Assert.Equal(GateVerdict.Passed, passed.Verdict);
        Assert.Equal("service api stayed out of critical for 10m", passed.Message);
    }

    [Fact]
    public void Evaluate_WatchWhenACheckGoesCritical_FailsAtOnceNamingTheCheckAndWhy()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var gate = Read("{watch=\"service:api\" for=10m}");
        var began = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(3));
        GateCheck[] checks =
        [
            new("api/health", HealthState.Critical, time.GetUtcNow(), "HTTP 500 (expected 200)", false),
            new("apiary/health", HealthState.Critical, began, "another service", false),
        ];

        var failed = HealthGates.Evaluate(gate, checks, began, time.GetUtcNow(), DefaultTimeout);

        Assert.Equal(GateVerdict.Failed, failed.Verdict);
        Assert.Equal("watch of service api failed after 3m: check api/health went critical at 12:03:00 UTC (HTTP 500 (expected 200))", failed.Message);
    }

    [Fact]
    public void Evaluate_WatchOfPausedOrMissingChecks_FailsBecauseItCannotSee()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var watch = Read("{watch=\"check:api/health\" for=1m}");

        var paused = HealthGates.Evaluate(watch, [new("api/health", HealthState.Ok, now, null, true)], now, now, DefaultTimeout);
        var missing = HealthGates.Evaluate(watch, [new("web/health", HealthState.Ok, now, null, false)], now, now, DefaultTimeout);

        Assert.Equal(GateVerdict.Failed, paused.Verdict);
        Assert.Contains("paused", paused.Message);
        Assert.Equal(GateVerdict.Failed, missing.Verdict);
        Assert.Contains("check api/health has no checks in the config in force", missing.Message);
    }

    [Fact]
    public void UnknownTarget_MisspelledCheck_SuggestsTheClosest()
    {
        var keys = new[] { "api/health", "api/latency", "db/health" };

        Assert.Null(HealthGates.UnknownTarget(Read("{watch=\"service:api\" for=1m}"), keys));
        Assert.Null(HealthGates.UnknownTarget(Read("{wait=\"check:db/health ok\"}"), keys));
        Assert.Contains("did you mean", HealthGates.UnknownTarget(Read("{wait=\"check:api/helth ok\"}"), keys));
        Assert.Contains("service ap has no checks", HealthGates.UnknownTarget(Read("{watch=\"service:ap\" for=1m}"), keys));
    }

    [Fact]
    public void Lint_BadGateAndUnknownCheck_AreErrorsAtTheFenceLine()
    {
        var markdown = $"""
            # Deploy

            ## Swap

            {Fence}bash {"{"}name=swap wait="check:api/health fine"{"}"}
            ln -sfn green current
            {Fence}

            {Fence}bash {"{"}name=watch watch="service:apii" for=10m{"}"}
            # watch the service
            {Fence}

            {Fence}bash {"{"}name=ok wait="check:api/health ok for 1m" timeout=5m{"}"}
            curl -fsS http://127.0.0.1/health
            {Fence}
            """;
        var context = new LintContext(new DateOnly(2026, 3, 1), null) { CheckKeys = ["api/health"] };

        var findings = RunbookLinter.Lint(RunbookParser.Parse(markdown, "runbooks/deploy.md"), markdown, context).Where(f => f.Rule == "health-gate").ToList();

        Assert.Collection(findings,
            f =>
            {
                Assert.Equal((LintSeverity.Error, 5), (f.Severity, f.Line));
                Assert.Contains("a wait waits for `ok`, not 'fine'", f.Message);
            },
            f =>
            {
                Assert.Equal(9, f.Line);
                Assert.Contains("service apii has no checks in the config; did you mean", f.Message);
            });
        Assert.StartsWith("runbooks/deploy.md:5: error health-gate:", findings[0].ToString());
    }

    [Fact]
    public void Plan_StepWithGate_CarriesItAndABadGateRefusesTheRun()
    {
        var good = $"""
            ## Swap
            {Fence}bash {"{"}name=swap watch="service:api" for=10m{"}"}
            ln -sfn green current
            {Fence}
            """;
        var bad = good.Replace("for=10m", "for=never", StringComparison.Ordinal);
        var options = new RunbookPlanOptions(RunbookPlanOptions.From(new Vigil.Core.Config.RunbooksConfig()).DefaultPattern, DefaultTimeout);

        var plan = RunbookPlanner.Plan(RunbookParser.Parse(good, "d.md"), null, new Dictionary<string, string>(), options);
        var refused = RunbookPlanner.Plan(RunbookParser.Parse(bad, "d.md"), null, new Dictionary<string, string>(), options);

        Assert.True(plan.IsRunnable);
        Assert.Equal(HealthGateKind.Watch, plan.Steps[0].Gate?.Kind);
        Assert.False(refused.IsRunnable);
        Assert.Contains(refused.Problems, p => p.Message.Contains("step 1 of swap (line 2): attribute for='never' is not a duration", StringComparison.Ordinal));
    }
}
