using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Prometheus;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Prometheus;

public sealed class PrometheusProberTests : IClassFixture<FakePrometheusFixture>, IDisposable
{
    private readonly FakePrometheusFixture _prometheus;
    private readonly ProbeRunner _runner = Make.Runner();

    public PrometheusProberTests(FakePrometheusFixture prometheus) => _prometheus = prometheus;

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Probe_ValueAboveCritical_IsCriticalThresholdWithValue()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "latency", c => { c.WarnAbove = 0.1; c.CriticalAbove = 0.5; }));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Threshold, result.Reason);
        Assert.Equal(0.7, result.Value);
        Assert.Equal("prom = 0.7, above critical 0.5", result.Message);
    }

    [Fact]
    public async Task Probe_ValueBetweenThresholds_IsWarning()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "latency", c => { c.WarnAbove = 0.5; c.CriticalAbove = 1; }));

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(FailureReason.Threshold, result.Reason);
    }

    [Fact]
    public async Task Probe_ValueWithinThresholds_IsOkWithLabels()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "up", c => c.CriticalBelow = 1));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Equal(1, result.Value);
        Assert.Equal("prom{job=\"api\"} = 1", result.Message);
    }

    [Fact]
    public async Task Probe_Scalar_IsEvaluated()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl + "/", "scalar(5)", c => c.WarnAbove = 4));

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(5, result.Value);
    }

    [Fact]
    public async Task Probe_SeveralSeries_UsesFirstAndSaysSo()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "two", c => c.WarnAbove = 5));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Equal(3, result.Value);
        Assert.EndsWith("(first of 2 series)", result.Message);
    }

    [Fact]
    public async Task Probe_NoThresholdsAndASample_IsCriticalLikeAnAlertRule()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "up"));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Threshold, result.Reason);
    }

    [Theory]
    [InlineData(NoDataState.Unknown, HealthState.Unknown, FailureReason.NoData)]
    [InlineData(NoDataState.Ok, HealthState.Ok, FailureReason.None)]
    [InlineData(NoDataState.Warning, HealthState.Warning, FailureReason.NoData)]
    [InlineData(NoDataState.Critical, HealthState.Critical, FailureReason.NoData)]
    public async Task Probe_EmptyResult_FollowsNoDataSetting(NoDataState setting, HealthState state, FailureReason reason)
    {
        var check = Make.Prometheus(_prometheus.BaseUrl, "empty", c => c.WarnAbove = 1);
        check.Prometheus!.NoData = setting;

        var result = await _runner.ProbeAsync(check);

        Assert.Equal(state, result.State);
        Assert.Equal(reason, result.Reason);
        Assert.Equal($"query `empty` returned no data from Prometheus at {_prometheus.BaseUrl}", result.Message);
    }

    [Fact]
    public async Task Probe_NaN_CountsAsNoData()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "nan", c => c.WarnAbove = 1));

        Assert.Equal(FailureReason.NoData, result.Reason);
    }

    [Fact]
    public async Task Probe_Infinity_IsAboveAnyThreshold()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "inf", c => c.CriticalAbove = 1e9));

        Assert.Equal(HealthState.Critical, result.State);
    }

    [Fact]
    public async Task Probe_QueryError_IsUnknownStatusWithPrometheusError()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "bad(", c => c.WarnAbove = 1));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Status, result.Reason);
        Assert.Contains("rejected query `bad(` with HTTP 400: bad_data: 1:5: parse error", result.Message);
    }

    [Fact]
    public async Task Probe_RangeVector_IsUnknownBodyWithAdvice()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "up[5m]", c => c.WarnAbove = 1));

        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("use an instant query", result.Message);
    }

    [Fact]
    public async Task Probe_NotPrometheus_IsUnknownBody()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus(_prometheus.BaseUrl, "html", c => c.WarnAbove = 1));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Body, result.Reason);
    }

    [Fact]
    public async Task Probe_BearerTokenAndHeaders_AreSent()
    {
        var check = Make.Prometheus(_prometheus.BaseUrl + "/prom", "secret", c => c.CriticalBelow = 1);
        var without = await _runner.ProbeAsync(check);
        check.Prometheus!.BearerToken = "s3cret";
        check.Prometheus.Headers = new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-1" };
        var with = await _runner.ProbeAsync(check);

        Assert.Equal(FailureReason.Status, without.Reason);
        Assert.Contains("HTTP 401: unauthorized", without.Message);
        Assert.Equal(HealthState.Ok, with.State);
    }

    [Fact]
    public async Task Probe_Unreachable_IsUnknownConnect()
    {
        var url = $"http://127.0.0.1:{Ports.Closed()}";

        var result = await _runner.ProbeAsync(Make.Prometheus(url, "up", c => c.WarnAbove = 1));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Connect, result.Reason);
        Assert.Equal($"connection to Prometheus at {url} refused", result.Message);
    }

    [Fact]
    public async Task Probe_NameDoesNotResolve_IsUnknownDns()
    {
        var result = await _runner.ProbeAsync(Make.Prometheus("http://prometheus.nowhere.test:9090", "up", c => c.WarnAbove = 1));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Dns, result.Reason);
    }

    [Theory]
    [InlineData("http://p:9090", "http://p:9090/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D")]
    [InlineData("http://p:9090/prom/", "http://p:9090/prom/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D")]
    [InlineData("http://p:9090/api/v1/query", "http://p:9090/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D")]
    public void QueryUri_BaseUrl_AppendsApiPathAndEscapesQuery(string baseUrl, string expected) =>
        Assert.Equal(expected, PrometheusProber.QueryUri(new Uri(baseUrl), "up{job=\"a b\"}").AbsoluteUri);
}
