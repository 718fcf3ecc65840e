namespace Vigil.Core.Checks;

/// <summary>The outcome of one probe. Probers never throw for an expected failure; they return this.</summary>
/// <param name="State">What this single result says, before thresholds like <c>fail_after</c> apply.</param>
/// <param name="Reason"><see cref="FailureReason.None"/> when <paramref name="State"/> is ok.</param>
/// <param name="Latency">Time from start to answer (or to giving up).</param>
/// <param name="Message">One human sentence: what was seen, for example "HTTP 503 (expected 200)".</param>
/// <param name="Value">The measured number, for command and prometheus checks, or days left for tls.</param>
public sealed record ProbeResult(HealthState State, FailureReason Reason, TimeSpan Latency, string? Message = null, double? Value = null)
{
    public static ProbeResult Ok(TimeSpan latency, string? message = null, double? value = null) =>
        new(HealthState.Ok, FailureReason.None, latency, message, value);

    public static ProbeResult Critical(FailureReason reason, TimeSpan latency, string message, double? value = null) =>
        new(HealthState.Critical, reason, latency, message, value);

    public static ProbeResult Warning(FailureReason reason, TimeSpan latency, string message, double? value = null) =>
        new(HealthState.Warning, reason, latency, message, value);

    public static ProbeResult Unknown(FailureReason reason, TimeSpan latency, string message, double? value = null) =>
        new(HealthState.Unknown, reason, latency, message, value);
}
