namespace Vigil.Core.Runbooks;

/// <summary>Where a fault-injection drill is (sent in lower case).</summary>
public enum DrillStatus
{
    /// <summary>Injecting, waiting for detection, recovering or verifying.</summary>
    Running,

    /// <summary>Detected, recovered and verified within the RTO, and nobody was paged.</summary>
    Passed,

    /// <summary>Ended, and at least one of those did not hold.</summary>
    Failed,

    /// <summary>The server stopped while it was in flight.</summary>
    Interrupted,
}
