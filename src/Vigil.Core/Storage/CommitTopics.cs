namespace Vigil.Core.Storage;

/// <summary>
/// What a committed write changed that a waiting loop must act on at once. A writer raises topics
/// on its session (<see cref="IStoreSession.Raise"/>); after the transaction commits, the store
/// wakes whoever waits on them (<see cref="IVigilStore.NextCommitAsync(CommitTopics, CancellationToken)"/>).
/// Telemetry (check history, rollups) raises none, so thousands of such commits wake nobody.
/// </summary>
[Flags]
public enum CommitTopics
{
    /// <summary>Nothing a loop waits for.</summary>
    None = 0,

    /// <summary>
    /// An incident needs escalation or timers to look again: opened, reopened, severity raised, a
    /// signal firing or resolving, acknowledged, mitigated, resolved or closed.
    /// </summary>
    Incidents = 1,

    /// <summary>A notification was queued for delivery by something other than the escalation loop itself.</summary>
    Notifications = 2,

    /// <summary>
    /// A hold on paging ended before its time: a silence was expired or a maintenance window cancelled, so
    /// escalations it held page now. (Holds that end by time wake escalation through its next due time instead.)
    /// </summary>
    Holds = 4,

    /// <summary>
    /// Something the public status page shows changed that <see cref="Incidents"/> does not cover:
    /// a check's state or pause, a maintenance window created or cancelled, a public incident update.
    /// </summary>
    PublicStatus = 8,

    /// <summary>A check was paused or resumed: on a cluster the node that probes it may be another one, which must follow.</summary>
    CheckPauses = 16,

    /// <summary>
    /// An incident was opened or reopened (raised together with <see cref="Incidents"/>): what auto-remediation decides on.
    /// Its own topic, so the other incident commits of an alert storm (signals firing and resolving) do not wake remediation.
    /// </summary>
    Openings = 32,

    /// <summary>
    /// An open incident's severity was raised (raised together with <see cref="Incidents"/>). With <see cref="Openings"/>, the only
    /// commits that can give escalation an incident to evaluate, so the other incident commits of a storm need not look for one.
    /// </summary>
    SeverityRaised = 64,
}
