namespace Vigil.Core.Config;

/// <summary>The generic events API (<c>events:</c>).</summary>
public sealed class EventsConfig
{
    /// <summary>Accept events.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Severity of events that do not name one; defaults to the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? DefaultSeverity { get; set; }
}
