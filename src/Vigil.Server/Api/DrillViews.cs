using Vigil.Core.Runbooks;

namespace Vigil.Server.Api;

/// <summary>The body of <c>POST /api/v1/drills</c>: a fault-injection drill of a drill runbook.</summary>
/// <param name="Runbook">The drill runbook's id or path; it has procedures <c>inject</c>, <c>recover</c> and <c>verify</c> and front matter <c>service</c> and <c>drill:</c>.</param>
/// <param name="Params">Parameters for all three procedures, NAME → VALUE.</param>
/// <param name="Rto">The recovery time objective, like 5m; default: the service's <c>rto:</c>.</param>
/// <param name="Confirm">Steps marked <c>confirm=true</c> approved in advance (name, number or <c>all</c>); a drill runs unattended, so each such step must be named.</param>
public sealed record DrillCreateRequest(string? Runbook, IReadOnlyDictionary<string, string?>? Params, string? Rto, IReadOnlyList<string>? Confirm);

/// <summary>A fault-injection drill: its phases' times in seconds, its runs, the window that held paging and the verdict.</summary>
public sealed record DrillView(
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
    double? TimeToInjectSeconds,
    double? TimeToDetectSeconds,
    double? TimeToRecoverSeconds,
    double? TotalSeconds,
    double RtoSeconds,
    long? Incident,
    long? Window,
    long? InjectRun,
    long? RecoverRun,
    long? VerifyRun,
    string Reason)
{
    public static DrillView From(DrillRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.Runbook, d.Service, d.Status, d.RequestedBy, d.StartedAt, d.InjectedAt, d.DetectedAt, d.RecoveredAt, d.EndedAt,
            Seconds(d.TimeToInject), Seconds(d.TimeToDetect), Seconds(d.TimeToRecover), Seconds(d.Total), d.Rto.TotalSeconds, d.IncidentId, d.WindowId,
            d.InjectRunId, d.RecoverRunId, d.VerifyRunId, d.Reason);
    }

    private static double? Seconds(TimeSpan? t) => t is { } v ? Math.Round(v.TotalSeconds, 3) : null;
}

/// <summary>A service's drills at a glance: counts, the last result and total, the mean total and whether recovery gets faster.</summary>
public sealed record DrillTrendView(string Service, int Drills, int Passed, DrillStatus Last, double? LastTotalSeconds, double? MeanTotalSeconds, string Trend)
{
    public static DrillTrendView From(DrillTrend t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Service, t.Drills, t.Passed, t.Last, t.LastTotal is { } l ? Math.Round(l.TotalSeconds, 3) : null,
            t.MeanTotal is { } m ? Math.Round(m.TotalSeconds, 3) : null, t.Trend);
    }
}

/// <summary>The answer of <c>GET /api/v1/drills</c>: drills newest first, and the trend per service over them.</summary>
public sealed record DrillListView(IReadOnlyList<DrillView> Drills, IReadOnlyList<DrillTrendView> Trends);
