namespace Vigil.Core.Config;

/// <summary>A planned override (an entry of <c>overrides:</c>): someone else is on call for a period.</summary>
public sealed class ScheduleOverrideConfig : IConfigValidatable
{
    /// <summary>Who is on call instead.</summary>
    [Mandatory]
    [ReferenceTo("people")]
    public string Person { get; set; } = string.Empty;

    /// <summary>Start, with an offset (like <c>2025-03-01T09:00:00+01:00</c>).</summary>
    [Mandatory]
    public DateTimeOffset Start { get; set; }

    /// <summary>End, with an offset; must be after <c>start</c>.</summary>
    [Mandatory]
    public DateTimeOffset End { get; set; }

    /// <summary>Why, for the audit trail.</summary>
    public string? Reason { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (context.IsSet(ConfigPath.Member(path, "start")) && context.IsSet(ConfigPath.Member(path, "end")) && End <= Start)
        {
            context.Error(ConfigPath.Member(path, "end"), "`end` must be after `start`");
        }
    }
}
