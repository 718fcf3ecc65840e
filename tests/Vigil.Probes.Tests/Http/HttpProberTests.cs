using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Http;

public sealed class HttpProberTests : IClassFixture<HttpTargetFixture>, IDisposable
{
    private readonly HttpTargetFixture _target;
    private readonly ProbeRunner _runner = Make.Runner();

    public HttpProberTests(HttpTargetFixture target) => _target = target;

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Probe_Healthy_IsOkWithStatusInMessage()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/ok"), h => h.BodyContains = "ok"));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Equal(FailureReason.None, result.Reason);
        Assert.StartsWith($"HTTP 200 from {_target.Url("/ok")}", result.Message);
        Assert.True(result.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task Probe_UnexpectedStatus_IsCriticalStatus()
    {
        var url = _target.Url("/status/503");
        var result = await _runner.ProbeAsync(Make.Http(url, h => h.ExpectStatus = [200]));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Status, result.Reason);
        Assert.Equal($"HTTP 503 from {url} (expected 200)", result.Message);
    }

    [Fact]
    public async Task Probe_NoExpectStatus_AcceptsAny2xxAndRejects404()
    {
        var created = await _runner.ProbeAsync(Make.Http(_target.Url("/status/204")));
        var missing = await _runner.ProbeAsync(Make.Http(_target.Url("/status/404")));

        Assert.Equal(HealthState.Ok, created.State);
        Assert.Equal(FailureReason.Status, missing.Reason);
        Assert.Contains("(expected 2xx)", missing.Message);
    }

    [Fact]
    public async Task Probe_ExpectStatusList_AcceptsListedNon2xx()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/status/418"), h => h.ExpectStatus = [200, 418]));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_BodyMissingText_IsCriticalBody()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/ok"), h => h.BodyContains = "healthy"));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("does not contain \"healthy\"", result.Message);
        Assert.Contains("got \"ok\"", result.Message);
    }

    [Fact]
    public async Task Probe_BodyHasForbiddenText_IsCriticalBody()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/text"), h => h.BodyNotContains = "error"));

        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("contains \"error\"", result.Message);
    }

    [Fact]
    public async Task Probe_BodyRegex_MatchesOrFails()
    {
        var match = await _runner.ProbeAsync(Make.Http(_target.Url("/text"), h => h.BodyRegex = @"^all good\b"));
        var miss = await _runner.ProbeAsync(Make.Http(_target.Url("/text"), h => h.BodyRegex = @"^\d+$"));

        Assert.Equal(HealthState.Ok, match.State);
        Assert.Equal(FailureReason.Body, miss.Reason);
        Assert.Contains(@"does not match /^\d+$/", miss.Message);
    }

    [Fact]
    public async Task Probe_CatastrophicRegex_GivesUpWithinRegexTimeout()
    {
        using var runner = Make.Runner(options: new ProbeOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) });
        var result = await runner.ProbeAsync(Make.Http(_target.Url("/big"), h => h.BodyRegex = "^(a+)+b$"));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("took longer than", result.Message);
    }

    [Fact]
    public async Task Probe_LargeBody_ReadsOnlyTheCapAndSaysSo()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/big"), h => h.BodyContains = "needle"));

        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("the first 1 MiB of the body", result.Message);
    }

    [Fact]
    public async Task Probe_JsonAssertionsHold_IsOk()
    {
        var check = Make.Http(_target.Url("/json"), h => h.Json =
        [
            new HttpJsonAssertion { Path = "$.status", ExpectedValue = "ok" },
            new HttpJsonAssertion { Path = "$.version", ExpectedValue = "1" },
            new HttpJsonAssertion { Path = "$.queue.depth", Below = 100, Above = 0 },
            new HttpJsonAssertion { Path = "$.checks[0].ok", ExpectedValue = "true" },
            new HttpJsonAssertion { Path = "$['odd name']", NotEquals = "y" },
            new HttpJsonAssertion { Path = "$.ratio", Below = 1 },
            new HttpJsonAssertion { Path = "$.missing", Exists = false },
            new HttpJsonAssertion { Path = "checks[0].name", Exists = true },
        ]);

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Theory]
    [InlineData("$.status", "degraded", null, null, null, "JSON field $.status is \"ok\" (expected \"degraded\")")]
    [InlineData("$.queue.depth", null, null, 10.0, null, "JSON field $.queue.depth = 12 (expected below 10)")]
    [InlineData("$.queue.depth", null, null, null, 50.0, "JSON field $.queue.depth = 12 (expected above 50)")]
    [InlineData("$.checks[3].ok", "true", null, null, null, "JSON field $.checks[3].ok is missing (expected \"true\")")]
    [InlineData("$.status", null, true, 1.0, null, "JSON field $.status is \"ok\", not a number (expected below 1)")]
    [InlineData("$.status", null, false, null, null, "JSON field $.status exists with \"ok\" (expected it to be absent)")]
    public async Task Probe_JsonAssertionFails_IsCriticalBodyWithSeenValue(string path, string? equals, bool? exists, double? below, double? above, string expected)
    {
        var assertion = new HttpJsonAssertion { Path = path, ExpectedValue = equals, Below = below, Above = above };
        if (exists is false)
        {
            assertion.Exists = false;
        }

        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/json"), h => h.Json = [assertion]));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.StartsWith(expected, result.Message);
    }

    [Fact]
    public async Task Probe_JsonAssertionOnHtml_IsCriticalBodyNotJson()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/notjson"), h => h.Json = [new HttpJsonAssertion { Path = "$.status", ExpectedValue = "ok" }]));

        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("is not JSON", result.Message);
    }

    [Fact]
    public async Task Probe_SlowerThanMaxLatency_IsWarningLatency()
    {
        var clock = Make.FakeClock();
        _target.Clock = clock;
        using var runner = Make.Runner(clock);

        var result = await runner.ProbeAsync(Make.Http(_target.Url("/advance"), h => h.MaxLatency = TimeSpan.FromSeconds(1)));

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(FailureReason.Latency, result.Reason);
        Assert.Contains("took 2s (max_latency 1s)", result.Message);
        Assert.True(result.Latency >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Probe_NoAnswerWithinTimeout_IsCriticalTimeout()
    {
        var clock = Make.FakeClock();
        _target.HangReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var runner = Make.Runner(clock);
        var url = _target.Url("/hang");

        var probe = runner.ProbeAsync(Make.Http(url, timeout: TimeSpan.FromSeconds(5)));
        await _target.HangReached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(5));
        var result = await probe.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Equal($"no answer from {url} within 5s", result.Message);
    }

    [Fact]
    public async Task Probe_RedirectFollowed_ReportsFinalUrl()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/redirect"), h => h.BodyContains = "ok"));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Contains(_target.Url("/ok"), result.Message);
    }

    [Fact]
    public async Task Probe_RedirectNotFollowed_IsStatusWithLocation()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/redirect"), h => h.FollowRedirects = false));
        var allowed = await _runner.ProbeAsync(Make.Http(_target.Url("/redirect"), h => { h.FollowRedirects = false; h.ExpectStatus = [302]; }));

        Assert.Equal(FailureReason.Status, result.Reason);
        Assert.Equal($"HTTP 302 from {_target.Url("/redirect")} redirecting to /ok (expected 2xx)", result.Message);
        Assert.Equal(HealthState.Ok, allowed.State);
    }

    [Fact]
    public async Task Probe_DefaultFreshConnections_UsesNewConnectionEachTime()
    {
        _target.ConnectionIds.Clear();
        for (var i = 0; i < 3; i++)
        {
            var result = await _runner.ProbeAsync(Make.Http(_target.Url("/conn")));
            Assert.Equal(HealthState.Ok, result.State);
        }

        Assert.Equal(3, _target.ConnectionIds.Distinct().Count());
    }

    [Fact]
    public async Task Probe_ReuseConnections_KeepsOneConnection()
    {
        _target.ConnectionIds.Clear();
        for (var i = 0; i < 3; i++)
        {
            var result = await _runner.ProbeAsync(Make.Http(_target.Url("/conn"), h => h.ReuseConnections = true));
            Assert.Equal(HealthState.Ok, result.State);
        }

        Assert.Equal(3, _target.ConnectionIds.Count);
        Assert.Single(_target.ConnectionIds.Distinct());
    }

    [Fact]
    public async Task Probe_MethodHeadersAndBody_AreSent()
    {
        var check = Make.Http(_target.Url("/echo"), h =>
        {
            h.Method = "POST";
            h.Headers = new Dictionary<string, string> { ["X-Test"] = "vigil", ["Content-Type"] = "application/json" };
            h.Body = """{"ping":1}""";
            h.BodyContains = """method=POST header=vigil type=application/json body={"ping":1}""";
        });

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_ServerAborts_IsCriticalConnect()
    {
        var result = await _runner.ProbeAsync(Make.Http(_target.Url("/abort")));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Connect, result.Reason);
    }

    [Fact]
    public async Task Probe_ConnectionRefused_IsCriticalConnect()
    {
        var url = $"http://127.0.0.1:{Ports.Closed()}/health";
        var result = await _runner.ProbeAsync(Make.Http(url));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Connect, result.Reason);
        Assert.Equal($"connection to {url} refused", result.Message);
    }

    [Fact]
    public async Task Probe_NameDoesNotResolve_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Http($"http://nxdomain.test:{_target.Server.Port}/ok"));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.StartsWith("could not resolve nxdomain.test", result.Message);
    }

    [Fact]
    public async Task Probe_HostNameResolved_ConnectsToResolvedAddress()
    {
        var result = await _runner.ProbeAsync(Make.Http($"http://app.test:{_target.Server.Port}/ok", h => h.BodyContains = "ok"));

        Assert.Equal(HealthState.Ok, result.State);
    }
}
