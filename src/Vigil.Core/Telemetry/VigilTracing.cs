using System.Diagnostics;

namespace Vigil.Core.Telemetry;

/// <summary>
/// Vigil's own spans: one <see cref="ActivitySource"/> named <see cref="SourceName"/>. A signal's trace
/// runs intake (or a check's state change) → <c>vigil.incident.write</c> → <c>vigil.escalation.step</c>
/// → <c>vigil.notification.deliver</c>, whose webhook request carries the W3C <c>traceparent</c>.
/// With no listener (OTLP traces off) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and nothing is recorded.
/// </summary>
public static class VigilTracing
{
    public const string SourceName = "Vigil";

    public static readonly ActivitySource Source = new(SourceName, typeof(VigilTracing).Assembly.GetName().Version?.ToString(3));
}
