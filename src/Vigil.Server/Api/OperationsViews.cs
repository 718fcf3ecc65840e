using Vigil.Core.Operations;

namespace Vigil.Server.Api;

public sealed record FreezeView(long Id, string? Service, string Reason, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static FreezeView From(Freeze f) => new(f.Id, f.Service, f.Reason, f.CreatedBy, f.CreatedAt);
}

/// <summary>Body of <c>POST /api/v1/freezes</c> and <c>/freezes/lift</c>; no service means everything.</summary>
public sealed record FreezeRequest(string? Service, string? Reason);

/// <summary>A maintenance window: ad hoc (<c>#n</c>) or from the config (<c>config:id</c>, its current or next occurrence).</summary>
public sealed record WindowView(string Id, IReadOnlyList<string> Services, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason, bool BlocksDeploys, bool Active, string? CreatedBy);

/// <summary>Body of <c>POST /api/v1/windows</c>: <c>duration</c> like 30m; <c>start</c> defaults to now.</summary>
public sealed record WindowRequest(IReadOnlyList<string>? Services, string? Duration, DateTimeOffset? Start, string? Reason, bool? BlocksDeploys);

public sealed record GateReasonView(string Code, string Message);

/// <summary>The deploy gate's answer: <c>allowed</c> is true when <c>reasons</c> is empty.</summary>
public sealed record GateView(string Service, bool Allowed, IReadOnlyList<GateReasonView> Reasons, DateTimeOffset At);

public sealed record SilenceView(long Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy)
{
    public static SilenceView From(Silence s) => new(s.Id, s.Matchers.Select(m => m.ToString()).ToList(), s.StartsAt, s.EndsAt, s.Comment, s.CreatedBy);
}

/// <summary>
/// Body of <c>POST /api/v1/silences</c>: matchers in Alertmanager's syntax, like <c>service=api</c>, <c>env!=staging</c>,
/// <c>alertname=~Disk.*</c> or <c>check!~smoke-.*</c>; <c>duration</c> like 2h.
/// </summary>
public sealed record SilenceRequest(IReadOnlyList<string>? Matchers, string? Duration, string? Comment);

/// <summary>A silence to create, from any of its doors (API v1, the console, Alertmanager's API v2): matchers as text in Alertmanager's syntax.</summary>
public sealed record SilenceDraft(IReadOnlyList<string> Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Comment, long? Replaces);
