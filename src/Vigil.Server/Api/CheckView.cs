using Vigil.Core.Checks;
using Vigil.Server.Checks;

namespace Vigil.Server.Api;

/// <summary>
/// One check as the API and <c>vigil check list</c> show it. <c>state</c> is one of
/// <c>ok|pending|warning|critical|unknown|paused</c> (<c>pending</c>: failing but inside <c>fail_after</c>/<c>for:</c>, see <c>pending</c>); <c>reason</c> is from the failure taxonomy
/// (<c>dns, connect, tls, timeout, status, body, latency, threshold, exec, no_data, late</c>) or null when ok.
/// </summary>
public sealed record CheckView(
    string Service,
    string Check,
    string Key,
    string Kind,
    string State,
    string? Reason,
    DateTimeOffset Since,
    bool Flapping,
    DateTimeOffset? LastResultAt,
    string? LastState,
    string? LastReason,
    long? LastLatencyMs,
    string? LastMessage,
    double? LastValue,
    string? PausedBy,
    string? PausedReason,
    long EverySeconds,
    long Skipped,
    string? HeartbeatUrl,
    PendingView? Pending = null)
{
    public static CheckView From(CheckSnapshot s, string? publicBase)
    {
        ArgumentNullException.ThrowIfNull(s);
        var st = s.Status;
        var r = st.LastResult;
        return new CheckView(s.Definition.ServiceId, s.Definition.Check.Id, s.Definition.Key, s.Definition.Check.Kind.ToString().ToLowerInvariant(),
            st.Paused ? "paused" : s.Pending is not null ? "pending" : ReasonNames.ToName(st.State),
            st.State == HealthState.Ok ? null : ReasonNames.ToNameOrNull(st.Reason),
            st.Since, st.Flapping, st.LastResultAt,
            r is null ? null : ReasonNames.ToName(r.State), r is null ? null : ReasonNames.ToNameOrNull(r.Reason),
            r is null ? null : (long)r.Latency.TotalMilliseconds, r?.Message, r?.Value, s.PausedBy, s.PausedReason,
            (long)s.Definition.Check.Every.TotalSeconds, s.Skipped,
            s.HeartbeatToken is null ? null : $"{publicBase?.TrimEnd('/')}/api/v1/heartbeats/{s.HeartbeatToken}",
            s.Pending is { } p ? PendingView.From(p, r?.Reason ?? FailureReason.None) : null);
    }
}
