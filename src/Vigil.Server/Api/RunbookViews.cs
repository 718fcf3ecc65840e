using Vigil.Core.Runbooks;

namespace Vigil.Server.Api;

/// <summary>A catalog row of <c>GET /api/v1/runbooks</c>.</summary>
public sealed record RunbookSummaryView(
    string Id, string Title, string Path, string? Category, IReadOnlyList<string> Services, int Procedures, int Steps, DateOnly? LastReviewed,
    long? LastRunId, RunStatus? LastRunStatus, DateTimeOffset? LastRunAt)
{
    public static RunbookSummaryView From(CatalogEntry e, RunbookRun? last) =>
        new(e.Id, e.Title, e.Path, e.Runbook.Metadata.Category, e.Services, e.Runbook.Procedures.Count, e.Runbook.Procedures.Sum(p => p.Steps.Count),
            e.Runbook.Metadata.LastReviewed, last?.Id, last?.Status, last?.CreatedAt);
}

/// <summary>The runbook catalog and the files that could not be read into it.</summary>
public sealed record RunbookCatalogView(IReadOnlyList<RunbookSummaryView> Runbooks, IReadOnlyList<string> Problems);

/// <summary>Body of <c>POST /api/v1/runbook-runs</c>.</summary>
/// <param name="Runbook">Catalog id or path.</param>
/// <param name="Procedure">Slug or heading; optional when the runbook has one procedure.</param>
/// <param name="Params">Parameter values by name as written in the runbook.</param>
/// <param name="Yes">Ordinary steps run without asking.</param>
/// <param name="Confirm">Steps marked <c>confirm=true</c> approved in advance (names or numbers, or <c>all</c>).</param>
/// <param name="StepByStep">Every step asks.</param>
/// <param name="Incident">Incident to link the run to.</param>
/// <param name="OverrideFreeze">Run mutating steps despite a freeze (operator; needs <paramref name="Reason"/>).</param>
/// <param name="Reason">Why the freeze is overridden.</param>
/// <param name="DrillRto">For a drill: the recovery time objective, like 10m.</param>
public sealed record RunCreateRequest(
    string? Runbook, string? Procedure, IReadOnlyDictionary<string, string>? Params, bool? Yes, IReadOnlyList<string>? Confirm, bool? StepByStep,
    long? Incident, bool? OverrideFreeze, string? Reason, string? DrillRto);

/// <summary>
/// Body of <c>POST /api/v1/runbook-runs/{id}/confirm</c>: <c>yes</c> runs the waiting step, <c>all</c> also the ordinary steps after it,
/// <c>no</c> cancels the run. <c>step</c> (optional) is the step number the answer is for; another step waiting gives 409.
/// </summary>
public sealed record RunConfirmRequest(string? Answer, int? Step = null);

/// <summary>Body of approve and cancel: an optional reason for the audit trail.</summary>
public sealed record RunReasonRequest(string? Reason);

public sealed record RunStepView(int Seq, bool Rollback, int Index, string? Name, StepStatus Status, int? ExitCode, DateTimeOffset StartedAt, double DurationSeconds,
    long OutputBytes, bool Truncated)
{
    public static RunStepView From(RunStep s) =>
        new(s.Seq, s.InRollback, s.Index, s.Name, s.Status, s.ExitCode, s.StartedAt, Math.Round((s.EndedAt - s.StartedAt).TotalSeconds, 3), s.OutputBytes, s.Truncated);
}

/// <summary>A run with its steps (output is in <c>/log</c>).</summary>
public sealed record RunView(
    long Id, string Runbook, string Path, string Procedure, string? Service, string Environment, RunStatus Status, string RequestedBy, string Trigger,
    IReadOnlyDictionary<string, string> Params, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, double? DurationSeconds,
    long? Incident, string? ApprovedBy, DateTimeOffset? ApprovalExpiresAt, int? WaitingStep, string? Error, RollbackOutcome? Rollback, string? FreezeOverride,
    double? DrillRtoSeconds, DrillResult? Drill, IReadOnlyList<RunStepView>? Steps)
{
    public static RunView From(RunbookRun r, IReadOnlyList<RunStep>? steps = null) =>
        new(r.Id, r.Request.RunbookId, r.Request.RunbookPath, r.Request.Procedure, r.Request.Service, r.Request.Environment, r.Status, r.RequestedBy,
            r.Request.Trigger, r.Request.Parameters, r.CreatedAt, r.StartedAt, r.EndedAt, r.Duration?.TotalSeconds, r.Request.IncidentId, r.ApprovedBy,
            r.ApprovalExpiresAt, r.WaitingStep, r.Error, r.RollbackOutcome, r.Request.FreezeOverride, r.Request.DrillRto?.TotalSeconds,
            r.Drill, steps?.Select(RunStepView.From).ToList());
}

/// <summary>One server-sent event of <c>GET /api/v1/runbook-runs/{id}/events</c>; which fields are set depends on <see cref="Type"/>.</summary>
/// <param name="Type"><c>status</c>, <c>step</c> (starting), <c>output</c> (one line), <c>step_end</c>, <c>confirm</c> (waiting for an answer) or <c>end</c>.</param>
/// <param name="ExpectedOutput">On <c>step</c>: the output lines a prompt-style block shows in the runbook (never run), for display beside the real output.</param>
public sealed record RunEventView(
    RunEventType Type, RunStatus? Status = null, int? Seq = null, int? Index = null, bool? Rollback = null, string? Name = null, string? Script = null,
    bool? Mutating = null, string? Line = null, StepStatus? StepStatus = null, int? ExitCode = null, double? DurationSeconds = null, string? Message = null,
    IReadOnlyList<string>? ExpectedOutput = null)
{
    /// <summary>On <c>step</c> and <c>step_end</c> of a step in a procedure the run branched to (<c>on_fail=</c>): that procedure's slug.</summary>
    public string? Procedure { get; init; }
}
