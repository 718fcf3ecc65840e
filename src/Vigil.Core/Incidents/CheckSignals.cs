using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Incidents;

/// <summary>Turns a check's confirmed state change into a signal (dedup key = <c>service/check</c>).</summary>
public static class CheckSignals
{
    /// <summary>
    /// Critical fires at the check's severity; warning and unknown fire at the least severe level (a
    /// ticket, not a page); ok resolves. A change of a check no longer configured only resolves.
    /// </summary>
    public static Signal? FromChange(StateChange change, VigilConfig config, IncidentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        var slash = change.Key.IndexOf('/', StringComparison.Ordinal);
        var serviceId = slash < 0 ? change.Key : change.Key[..slash];
        var checkId = slash < 0 ? "" : change.Key[(slash + 1)..];
        var service = config.FindService(serviceId);
        var check = service?.Checks.FirstOrDefault(c => c.Id == checkId);
        var firing = change.To != HealthState.Ok;
        if (firing && (service is null || check is null))
        {
            return null;
        }

        var labels = new Dictionary<string, string>(service?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["service"] = serviceId,
            ["check"] = checkId,
        };
        var severity = change.To == HealthState.Critical ? config.ResolveSeverity(service!, check).Id : policy.Lowest.Id;
        var state = ReasonNames.ToName(change.To);
        var name = service?.Name ?? serviceId;
        var summary = firing
            ? $"{name} check {checkId} is {state}{(change.Reason == FailureReason.None ? "" : $" ({ReasonNames.ToName(change.Reason)})")}{(string.IsNullOrEmpty(change.Message) ? "" : ": " + change.Message)}"
            : $"{name} check {checkId} is ok again";
        return new Signal(SignalSource.Check, change.Key, firing ? SignalStatus.Firing : SignalStatus.Resolved, summary, severity,
            service is null ? null : serviceId, labels, change.At, null, change.Flapping,
            Title: $"{name}: check {checkId} is {state}{(change.Reason == FailureReason.None ? "" : $" ({ReasonNames.ToName(change.Reason)})")}");
    }
}
