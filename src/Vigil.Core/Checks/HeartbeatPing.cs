namespace Vigil.Core.Checks;

/// <summary>What a job reported through its heartbeat URL.</summary>
public enum HeartbeatPingKind
{
    /// <summary><c>/api/v1/heartbeats/{token}</c>: the job succeeded.</summary>
    Success,

    /// <summary><c>…/start</c>: the job started; it changes nothing by itself, but a late result mentions the run in progress.</summary>
    Start,

    /// <summary><c>…/fail</c> or a non-zero <c>…/{exitcode}</c>: the job failed.</summary>
    Fail,
}

/// <summary>The last heartbeat received for a check.</summary>
public sealed record HeartbeatPing(HeartbeatPingKind Kind, DateTimeOffset At, int? ExitCode = null);
