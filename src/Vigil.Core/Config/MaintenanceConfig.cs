namespace Vigil.Core.Config;

/// <summary>
/// A maintenance window (an entry of <c>maintenance:</c>) for some services: either one-off
/// (<c>start</c> and <c>end</c>) or recurring (<c>cron</c> and <c>duration</c> in <c>timezone</c>).
/// During a window signals are recorded but nobody is paged.
/// </summary>
public sealed class MaintenanceConfig : IConfigValidatable
{
    /// <summary>Id of the window.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>What the window is for, shown on suppressed signals and the status page.</summary>
    public string? Description { get; set; }

    /// <summary>Service ids covered; <c>"*"</c> means every service.</summary>
    [Mandatory]
    [NotEmpty]
    [ReferenceTo("services", AllowWildcard = true)]
    public IReadOnlyList<string> Services { get; set; } = [];

    /// <summary>Start of a one-off window, with an offset.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>End of a one-off window, with an offset.</summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>When a recurring window opens.</summary>
    [Cron]
    public string? Cron { get; set; }

    /// <summary>How long a recurring window stays open.</summary>
    [Positive]
    public TimeSpan? Duration { get; set; }

    /// <summary>Time zone of <c>cron</c>.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>Whether this is a recurring window (cron and duration).</summary>
    public bool IsRecurring => Cron is not null;

    /// <summary>While this window is active, <c>vigil gate</c> refuses deploys of its services.</summary>
    public bool BlocksDeploys { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        var oneOff = Start is not null || End is not null;
        var recurring = Cron is not null || Duration is not null;
        if (oneOff && recurring)
        {
            context.Error(path, "a window is either one-off (`start` and `end`) or recurring (`cron` and `duration`), not both");
            return;
        }

        if (!oneOff && !recurring)
        {
            context.Error(path, "a window needs `start` and `end` (one-off) or `cron` and `duration` (recurring)");
            return;
        }

        if (oneOff && (Start is null || End is null))
        {
            context.Error(ConfigPath.Member(path, Start is null ? "start" : "end"), $"a one-off window needs both `start` and `end`; add `{(Start is null ? "start" : "end")}`");
        }
        else if (oneOff && End <= Start)
        {
            context.Error(ConfigPath.Member(path, "end"), "`end` must be after `start`");
        }

        if (recurring && (Cron is null || Duration is null))
        {
            context.Error(ConfigPath.Member(path, Cron is null ? "duration" : "cron"), $"a recurring window needs both `cron` and `duration`; add `{(Cron is null ? "cron" : "duration")}`");
        }
    }
}
