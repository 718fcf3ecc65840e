using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Checks;

public sealed class ThresholdsTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(42);

    private static CheckConfig Above(double? warn, double? critical) => new() { Id = "disk", WarnAbove = warn, CriticalAbove = critical };

    private static CheckConfig Below(double? warn, double? critical) => new() { Id = "free", WarnBelow = warn, CriticalBelow = critical };

    [Theory]
    [InlineData(96, HealthState.Critical, "disk = 96, above critical 95")]
    [InlineData(95.5, HealthState.Critical, "disk = 95.5, above critical 95")]
    [InlineData(95, HealthState.Warning, "disk = 95, above warning 85")]   // equal to critical is not over it
    [InlineData(85.01, HealthState.Warning, "disk = 85.01, above warning 85")]
    [InlineData(85, HealthState.Ok, "disk = 85")]                          // equal to warning is not over it
    [InlineData(12, HealthState.Ok, "disk = 12")]
    public void Evaluate_AboveThresholds_Expected(double value, HealthState state, string message)
    {
        var r = Thresholds.Evaluate(Above(85, 95), value, Latency, "disk");

        Assert.Equal(state, r.State);
        Assert.Equal(state == HealthState.Ok ? FailureReason.None : FailureReason.Threshold, r.Reason);
        Assert.Equal(message, r.Message);
        Assert.Equal(value, r.Value);
        Assert.Equal(Latency, r.Latency);
    }

    [Theory]
    [InlineData(4, HealthState.Critical, "free = 4, below critical 5")]
    [InlineData(5, HealthState.Warning, "free = 5, below warning 20")]     // equal to critical is not under it
    [InlineData(19.99, HealthState.Warning, "free = 19.99, below warning 20")]
    [InlineData(20, HealthState.Ok, "free = 20")]                          // equal to warning is not under it
    [InlineData(80, HealthState.Ok, "free = 80")]
    public void Evaluate_BelowThresholds_Expected(double value, HealthState state, string message)
    {
        var r = Thresholds.Evaluate(Below(20, 5), value, Latency, "free");

        Assert.Equal(state, r.State);
        Assert.Equal(state == HealthState.Ok ? FailureReason.None : FailureReason.Threshold, r.Reason);
        Assert.Equal(message, r.Message);
        Assert.Equal(value, r.Value);
    }

    [Theory]
    [InlineData(0.73, HealthState.Critical, "p95 = 0.73, above critical 0.5")]
    [InlineData(0.2, HealthState.Warning, "p95 = 0.2, above warning 0.1")]
    [InlineData(0.1, HealthState.Ok, "p95 = 0.1")]
    public void Evaluate_FractionalPrometheusThresholds_Expected(double value, HealthState state, string message)
    {
        var r = Thresholds.Evaluate(Above(0.1, 0.5), value, Latency, "p95");

        Assert.Equal(state, r.State);
        Assert.Equal(message, r.Message);
    }

    [Theory]
    [InlineData(96, HealthState.Critical, "above critical 95")]
    [InlineData(2, HealthState.Critical, "below critical 5")]
    [InlineData(90, HealthState.Warning, "above warning 85")]
    [InlineData(10, HealthState.Warning, "below warning 20")]
    [InlineData(50, HealthState.Ok, null)]
    public void Evaluate_BothSides_Expected(double value, HealthState state, string? fragment)
    {
        var config = new CheckConfig { Id = "temp", WarnAbove = 85, CriticalAbove = 95, WarnBelow = 20, CriticalBelow = 5 };

        var r = Thresholds.Evaluate(config, value, Latency, "temp");

        Assert.Equal(state, r.State);
        if (fragment is not null)
        {
            Assert.EndsWith(fragment, r.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, 95.0, 100, HealthState.Critical)]
    [InlineData(null, 95.0, 90, HealthState.Ok)]
    [InlineData(85.0, null, 1000, HealthState.Warning)]
    public void Evaluate_OnlyOneThresholdSet_Expected(double? warn, double? critical, double value, HealthState state)
    {
        Assert.Equal(state, Thresholds.Evaluate(Above(warn, critical), value, Latency, "disk").State);
    }

    [Fact]
    public void Evaluate_NoThresholds_OkWithValue()
    {
        var r = Thresholds.Evaluate(new CheckConfig { Id = "x" }, 1e9, Latency, "queue");

        Assert.Equal(HealthState.Ok, r.State);
        Assert.Equal("queue = 1000000000", r.Message);
        Assert.Equal(1e9, r.Value);
    }

    [Fact]
    public void Evaluate_ValueWithManyDecimals_RoundedToFourInMessage()
    {
        var r = Thresholds.Evaluate(Above(85, 95), 12.345678, Latency, "disk");

        Assert.Equal("disk = 12.3457", r.Message);
        Assert.Equal(12.345678, r.Value);
    }

    [Fact]
    public void Evaluate_NullConfig_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Thresholds.Evaluate(null!, 1, Latency, "x"));
    }
}
