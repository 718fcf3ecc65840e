using Vigil.Core.Checks;
using Vigil.Core.Incidents;
using static Vigil.Core.Tests.Incidents.IncidentFixtures;

namespace Vigil.Core.Tests.Incidents;

public sealed class CheckSignalsTests
{
    private static StateChange Change(string key, HealthState from, HealthState to, FailureReason reason = FailureReason.Connect, string? message = "connection refused",
        bool flapping = false) =>
        new(key, from, to, reason, T0.AddSeconds(30), message, flapping);

    private static Signal? FromChange(string yaml, StateChange change)
    {
        var policy = Policy(yaml);
        return CheckSignals.FromChange(change, policy.Config, policy);
    }

    [Theory]
    [InlineData(DefaultScheme, "api/health", "P1")] // the check's own severity
    [InlineData(DefaultScheme, "db/ping", "P0")] // the service's severity
    [InlineData(DefaultScheme, "api/slow", "P3")] // neither: the least severe level
    [InlineData(SevScheme, "api/health", "SEV2")]
    [InlineData(SevScheme, "db/ping", "SEV1")]
    [InlineData(SevScheme, "api/slow", "SEV4")]
    public void Critical_FiresAtTheChecksSeverity(string yaml, string key, string severity)
    {
        var signal = FromChange(yaml, Change(key, HealthState.Ok, HealthState.Critical));

        Assert.NotNull(signal);
        Assert.Equal(SignalSource.Check, signal.Source);
        Assert.Equal(key, signal.DedupKey);
        Assert.Equal(SignalStatus.Firing, signal.Status);
        Assert.Equal(severity, signal.Severity);
        Assert.Equal(key[..key.IndexOf('/', StringComparison.Ordinal)], signal.Service);
        Assert.Equal(T0.AddSeconds(30), signal.At);
        Assert.Null(signal.ExpiresAt);
        Assert.False(signal.Flapping);
    }

    [Fact]
    public void Critical_SummaryAndLabels_NameTheServiceCheckStateAndReason()
    {
        var signal = FromChange(DefaultScheme, Change("api/health", HealthState.Ok, HealthState.Critical))!;

        Assert.Equal("api check health is critical (connect): connection refused", signal.Summary);
        Assert.Equal(Labels(("team", "web"), ("service", "api"), ("check", "health")), signal.Labels);
    }

    [Fact]
    public void Critical_WithoutMessage_SummaryEndsAtTheReason()
    {
        var signal = FromChange(DefaultScheme, Change("db/ping", HealthState.Ok, HealthState.Critical, FailureReason.Timeout, message: null))!;

        Assert.Equal("db check ping is critical (timeout)", signal.Summary);
    }

    [Theory]
    [InlineData(DefaultScheme, HealthState.Warning, "P3")]
    [InlineData(DefaultScheme, HealthState.Unknown, "P3")]
    [InlineData(SevScheme, HealthState.Warning, "SEV4")]
    [InlineData(SevScheme, HealthState.Unknown, "SEV4")]
    public void WarningOrUnknown_FiresAtTheLeastSevereLevelWhateverTheChecksSeverity(string yaml, HealthState to, string severity)
    {
        // db/ping is a P0/SEV1 check: a warning is a ticket, not a page.
        var signal = FromChange(yaml, Change("db/ping", HealthState.Ok, to, FailureReason.Latency));

        Assert.Equal(SignalStatus.Firing, signal!.Status);
        Assert.Equal(severity, signal.Severity);
        Assert.StartsWith($"db check ping is {(to == HealthState.Warning ? "warning" : "unknown")} (latency)", signal.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HealthState.Critical)]
    [InlineData(HealthState.Warning)]
    public void Ok_Resolves(HealthState from)
    {
        var signal = FromChange(SevScheme, Change("api/health", from, HealthState.Ok, FailureReason.None, "HTTP 200"));

        Assert.NotNull(signal);
        Assert.Equal(SignalStatus.Resolved, signal.Status);
        Assert.Equal("api/health", signal.DedupKey);
        Assert.Equal("api", signal.Service);
        Assert.Equal("api check health is ok again", signal.Summary);
        Assert.Equal(T0.AddSeconds(30), signal.At);
    }

    [Fact]
    public void Flapping_IsCarriedOnTheSignal()
    {
        var signal = FromChange(DefaultScheme, Change("api/health", HealthState.Ok, HealthState.Critical, flapping: true));

        Assert.True(signal!.Flapping);
    }

    [Theory]
    [InlineData("api/removed")]
    [InlineData("gone/ping")]
    public void RemovedCheck_FiringChange_IsNoSignal(string key)
    {
        Assert.Null(FromChange(DefaultScheme, Change(key, HealthState.Ok, HealthState.Critical)));
        Assert.Null(FromChange(DefaultScheme, Change(key, HealthState.Ok, HealthState.Warning)));
    }

    [Fact]
    public void RemovedCheckOfAnExistingService_OkChange_ResolvesOnThatService()
    {
        var signal = FromChange(DefaultScheme, Change("api/removed", HealthState.Critical, HealthState.Ok, FailureReason.None, null));

        Assert.NotNull(signal);
        Assert.Equal(SignalStatus.Resolved, signal.Status);
        Assert.Equal("api/removed", signal.DedupKey);
        Assert.Equal("api", signal.Service);
        Assert.Equal("P3", signal.Severity);
    }

    [Fact]
    public void RemovedService_OkChange_ResolvesWithoutAService()
    {
        var signal = FromChange(SevScheme, Change("gone/ping", HealthState.Critical, HealthState.Ok, FailureReason.None, null));

        Assert.NotNull(signal);
        Assert.Equal(SignalStatus.Resolved, signal.Status);
        Assert.Equal("gone/ping", signal.DedupKey);
        Assert.Null(signal.Service);
        Assert.Equal("gone check ping is ok again", signal.Summary);
        Assert.Equal(Labels(("service", "gone"), ("check", "ping")), signal.Labels);
    }
}
