namespace Vigil.Core.Runbooks;

/// <summary>Where a run is in its life. Terminal states never change again.</summary>
public enum RunStatus
{
    /// <summary>Waiting for a second person to approve it (environments in <c>runbooks.require_approval_in</c>).</summary>
    PendingApproval,

    /// <summary>Executing steps.</summary>
    Running,

    /// <summary>Paused before a step until someone confirms it.</summary>
    Waiting,

    /// <summary>Every step succeeded.</summary>
    Succeeded,

    /// <summary>A step failed (or was refused); the rollback, if any, ran.</summary>
    Failed,

    /// <summary>Stopped by a person (or by declining a confirmation).</summary>
    Cancelled,

    /// <summary>The server stopped while the run was in flight.</summary>
    Interrupted,

    /// <summary>Nobody approved it in time.</summary>
    Expired,
}

/// <summary>How one executed step ended.</summary>
public enum StepStatus
{
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,

    /// <summary>Refused before it started: a mutating step during a freeze.</summary>
    Refused,

    /// <summary>Not run: its <c>when=</c> condition did not hold. A skipped step neither fails nor stops the run.</summary>
    Skipped,
}

/// <summary>What a run was started with, as stored (secret values are never stored).</summary>
/// <param name="RunbookId">The catalog id.</param>
/// <param name="RunbookPath">The file, relative to the config folder when it is inside it.</param>
/// <param name="Procedure">The procedure's slug.</param>
/// <param name="Service">The runbook's service (front matter), for freezes.</param>
/// <param name="Environment">The <c>vigil.environment</c> it ran in.</param>
/// <param name="Parameters">Parameter values as shown (secret ones masked).</param>
/// <param name="Trigger">Who or what started it: <c>api</c> (the CLI or an API client), <c>schedule:ID</c> or <c>drill</c>.</param>
/// <param name="AutoConfirm">True for <c>--yes</c>: ordinary steps do not ask.</param>
/// <param name="Confirmed">Steps pre-confirmed by number or name (<c>--confirm</c>), or <c>all</c>.</param>
/// <param name="StepByStep">Every step asks, even with <see cref="AutoConfirm"/>.</param>
/// <param name="FreezeOverride">The recorded reason for running mutating steps during a freeze, or null.</param>
/// <param name="IncidentId">The linked incident, or null.</param>
/// <param name="DrillRto">For a drill, the recovery time objective it is measured against.</param>
public sealed record RunRequest(
    string RunbookId,
    string RunbookPath,
    string Procedure,
    string? Service,
    string Environment,
    IReadOnlyDictionary<string, string> Parameters,
    string Trigger,
    bool AutoConfirm,
    IReadOnlyList<string> Confirmed,
    bool StepByStep,
    string? FreezeOverride,
    long? IncidentId,
    TimeSpan? DrillRto);

/// <summary>A runbook run as stored.</summary>
public sealed record RunbookRun(
    long Id,
    RunRequest Request,
    RunStatus Status,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? ApprovedBy,
    DateTimeOffset? ApprovalExpiresAt,
    int? WaitingStep,
    string? Error,
    RollbackOutcome? RollbackOutcome,
    string? Node = null)
{
    /// <summary>True once the run can no longer change.</summary>
    public bool IsFinished => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Interrupted or RunStatus.Expired;

    /// <summary>Start to end, when both are known.</summary>
    public TimeSpan? Duration => StartedAt is { } s && EndedAt is { } e ? e - s : null;

    /// <summary>For a drill: PASS when it succeeded within the RTO, FAIL otherwise; null for other runs or while running.</summary>
    public bool? DrillPassed => Request.DrillRto is { } rto && IsFinished ? Status == RunStatus.Succeeded && Duration <= rto : null;

    /// <summary>For a finished drill, <see cref="DrillResult.Pass"/> or <see cref="DrillResult.Fail"/>; null otherwise.</summary>
    public DrillResult? Drill => DrillPassed switch { true => DrillResult.Pass, false => DrillResult.Fail, null => null };
}

/// <summary>One executed (or refused) step of a run, with its captured, redacted output.</summary>
/// <param name="Seq">Order within the run, from 1.</param>
/// <param name="InRollback">True for rollback steps.</param>
/// <param name="Index">The step's number within the procedure (or its rollback).</param>
public sealed record RunStep(
    long RunId,
    int Seq,
    bool InRollback,
    int Index,
    string? Name,
    StepStatus Status,
    int? ExitCode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string Output,
    long OutputBytes,
    bool Truncated);

/// <summary>Wire and storage names of the run enums (snake_case).</summary>
public static class RunNames
{
    public static string Of(RunStatus status) => status switch
    {
        RunStatus.PendingApproval => "pending_approval",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Of(StepStatus status) => status switch
    {
        StepStatus.TimedOut => "timed_out",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static RunStatus ParseRun(string text) =>
        Enum.GetValues<RunStatus>().First(s => Of(s) == text);

    public static StepStatus ParseStep(string text) =>
        Enum.GetValues<StepStatus>().First(s => Of(s) == text);

    /// <summary><c>succeeded</c> or <c>failed</c>, as stored in <c>rollback_outcome</c>.</summary>
    public static string Of(RollbackOutcome outcome) => outcome.ToString().ToLowerInvariant();

    public static RollbackOutcome ParseRollback(string text) =>
        Enum.GetValues<RollbackOutcome>().First(o => Of(o) == text);

    /// <summary><c>yes</c>, <c>all</c> or <c>no</c>, as sent to <c>/confirm</c>.</summary>
    public static string Of(ConfirmAnswer answer) => answer.ToString().ToLowerInvariant();

    /// <summary>Reads an answer as sent (exact, lowercase); false for anything else.</summary>
    public static bool TryParseAnswer(string? text, out ConfirmAnswer answer)
    {
        foreach (var candidate in Enum.GetValues<ConfirmAnswer>())
        {
            if (Of(candidate) == text)
            {
                answer = candidate;
                return true;
            }
        }

        answer = default;
        return false;
    }

    /// <summary><c>pass</c> or <c>fail</c>.</summary>
    public static string Of(DrillResult result) => result.ToString().ToLowerInvariant();
}
