namespace Vigil.Core.Runbooks;

/// <summary>A fault-injection drill as stored (storage migration 14): its phases' times, its runs and its verdict.</summary>
/// <param name="InjectedAt">When the <c>inject</c> procedure's run ended successfully.</param>
/// <param name="DetectedAt">When the incident of an expected check opened (the check went critical just before).</param>
/// <param name="RecoveredAt">When every expected check was ok again after the <c>recover</c> procedure started.</param>
/// <param name="Rto">The recovery time objective judged against: <c>--rto</c>, else the service's <c>rto:</c>.</param>
/// <param name="WindowId">The maintenance window that held paging for the service during the drill.</param>
/// <param name="Reason">The verdict's sentence (or where the drill is, while running).</param>
public sealed record DrillRecord(
    long Id,
    string Runbook,
    string Service,
    DrillStatus Status,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? InjectedAt,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? RecoveredAt,
    DateTimeOffset? EndedAt,
    TimeSpan Rto,
    long? IncidentId,
    long? WindowId,
    long? InjectRunId,
    long? RecoverRunId,
    long? VerifyRunId,
    string Reason)
{
    /// <summary>From the start to the end of the <c>inject</c> run.</summary>
    public TimeSpan? TimeToInject => InjectedAt - StartedAt;

    /// <summary>From the end of the injection to the incident opening.</summary>
    public TimeSpan? TimeToDetect => DetectedAt - InjectedAt;

    /// <summary>From the detection to the checks being ok again (the recover procedure runs in between).</summary>
    public TimeSpan? TimeToRecover => RecoveredAt - DetectedAt;

    /// <summary>From the end of the injection (the fault in place) to recovery: time to detect plus time to recover.</summary>
    public TimeSpan? Total => RecoveredAt - InjectedAt;
}
