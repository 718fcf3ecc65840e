using System.Collections.Concurrent;
using System.Diagnostics;
using Vigil.Core.Incidents;
using Vigil.Core.Telemetry;

namespace Vigil.Server.Telemetry;

/// <summary>
/// Carries a signal's trace across the queues and loops between intake and delivery: the incident
/// write remembers its span per incident, the escalation step that pages for the incident is its
/// child, and each delivery the step queued is the step's child. Held in memory and bounded (the
/// most recent <see cref="Capacity"/> incidents): after a restart, or for an incident whose trace
/// was forgotten, escalation starts a new trace. Nothing is kept when tracing is off.
/// </summary>
public sealed class IncidentTraces
{
    /// <summary>Incidents whose trace context is kept.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<long, ActivityContext> _byIncident = new();
    private readonly ConcurrentQueue<long> _order = new();

    /// <summary>The span of one signal's incident write, child of <paramref name="parent"/> (intake or the check's state change).</summary>
    public static Activity? StartWrite(ActivityContext parent, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var span = VigilTracing.Source.StartActivity("vigil.incident.write", ActivityKind.Internal, parent);
        if (span is not null)
        {
            span.SetTag("vigil.signal.source", signal.Source.ToName());
            span.SetTag("vigil.signal.dedup_key", signal.DedupKey);
            span.SetTag("vigil.signal.status", signal.Status == SignalStatus.Firing ? "firing" : "resolved");
            span.SetTag("vigil.service", signal.Service);
        }

        return span;
    }

    /// <summary>After a write: the incident it touched continues this trace when the write changed something.</summary>
    public void Remember(Activity? span, long? incidentId, bool changed)
    {
        if (span is null || incidentId is not { } id)
        {
            return;
        }

        span.SetTag("vigil.incident.id", id);
        if (changed)
        {
            Set(id, span.Context);
        }
    }

    /// <summary>The span of an escalation step for <paramref name="incidentId"/>; later deliveries for it are its children.</summary>
    public Activity? StartStep(long incidentId, int step, int repeat, string? policy)
    {
        var span = VigilTracing.Source.StartActivity("vigil.escalation.step", ActivityKind.Internal, Get(incidentId));
        if (span is not null)
        {
            span.SetTag("vigil.incident.id", incidentId);
            span.SetTag("vigil.escalation.step", step + 1);
            span.SetTag("vigil.escalation.repeat", repeat);
            span.SetTag("vigil.escalation.policy", policy);
            Set(incidentId, span.Context);
        }

        return span;
    }

    /// <summary>The span of one delivery attempt for <paramref name="incidentId"/>.</summary>
    public Activity? StartDelivery(long incidentId, string notifierId, string channel, int attempt)
    {
        var span = VigilTracing.Source.StartActivity("vigil.notification.deliver", ActivityKind.Client, Get(incidentId));
        if (span is not null)
        {
            span.SetTag("vigil.incident.id", incidentId);
            span.SetTag("vigil.notifier", notifierId);
            span.SetTag("vigil.notifier.channel", channel);
            span.SetTag("vigil.notification.attempt", attempt);
        }

        return span;
    }

    private ActivityContext Get(long incidentId) => _byIncident.TryGetValue(incidentId, out var context) ? context : default;

    private void Set(long incidentId, ActivityContext context)
    {
        if (_byIncident.TryAdd(incidentId, context))
        {
            _order.Enqueue(incidentId);
            while (_byIncident.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _byIncident.TryRemove(oldest, out _);
            }
        }
        else
        {
            _byIncident[incidentId] = context;
        }
    }
}
