using Vigil.Core.Checks;

namespace Vigil.Core.StatusPage;

/// <summary>What the public sees of a service or the whole page, best first. JSON uses the lowercase names.</summary>
public enum PublicState
{
    /// <summary>Every check passes and no incident is open.</summary>
    Operational = 0,

    /// <summary>No result yet, or every check is paused.</summary>
    Unknown = 1,

    /// <summary>A maintenance window covers the service now.</summary>
    Maintenance = 2,

    /// <summary>A check is over a warning threshold, or an incident is open while checks pass.</summary>
    Degraded = 3,

    /// <summary>A check is failing.</summary>
    Outage = 4,
}

/// <summary>Names and mappings of <see cref="PublicState"/>.</summary>
public static class PublicStates
{
    public static string ToName(this PublicState state) => state switch
    {
        PublicState.Operational => "operational",
        PublicState.Unknown => "unknown",
        PublicState.Maintenance => "maintenance",
        PublicState.Degraded => "degraded",
        _ => "outage",
    };

    /// <summary>Words for people: "Operational", "Major outage", ...</summary>
    public static string ToLabel(this PublicState state) => state switch
    {
        PublicState.Operational => "Operational",
        PublicState.Unknown => "Unknown",
        PublicState.Maintenance => "Maintenance",
        PublicState.Degraded => "Degraded",
        _ => "Outage",
    };

    /// <summary>The headline for the whole page when its worst service is in <paramref name="state"/>.</summary>
    public static string Headline(this PublicState state) => state switch
    {
        PublicState.Operational => "All systems operational",
        PublicState.Unknown => "Status unknown for some services",
        PublicState.Maintenance => "Maintenance in progress",
        PublicState.Degraded => "Some systems degraded",
        _ => "Outage in progress",
    };

    /// <summary>A check health name as <c>ServiceHealth</c> gives it (<c>ok</c>, <c>warning</c>, <c>critical</c>, <c>unknown</c>, <c>paused</c>).</summary>
    public static PublicState FromHealth(string health) => health switch
    {
        "ok" => PublicState.Operational,
        "warning" => PublicState.Degraded,
        "critical" => PublicState.Outage,
        _ => PublicState.Unknown,
    };

    /// <summary>The same for a <see cref="HealthState"/>.</summary>
    public static PublicState FromHealth(HealthState health) => FromHealth(ReasonNames.ToName(health));
}
