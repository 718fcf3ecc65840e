namespace Vigil.Core.Checks;

/// <summary>The health of a check or service, worst last. JSON and CLI use the lowercase names.</summary>
public enum HealthState
{
    /// <summary>Passing.</summary>
    Ok = 0,

    /// <summary>No result yet, or the probe could not tell (for example a query with no data).</summary>
    Unknown = 1,

    /// <summary>Degraded: over a warning threshold, or a certificate nearing expiry.</summary>
    Warning = 2,

    /// <summary>Failing.</summary>
    Critical = 3,
}
