namespace Vigil.Core.Checks;

/// <summary>
/// A confirmed change of a check's state: the signal the incident engine consumes. Kept forever
/// as the health history.
/// </summary>
/// <param name="Flapping">True when the check is flapping: recorded and shown, but not re-paged.</param>
public sealed record StateChange(
    string Key,
    HealthState From,
    HealthState To,
    FailureReason Reason,
    DateTimeOffset At,
    string? Message,
    bool Flapping);
