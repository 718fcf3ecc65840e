namespace Vigil.Core.Config;

/// <summary>A rotation layer of a schedule (an entry of <c>layers:</c>).</summary>
public sealed class ScheduleLayerConfig : IConfigValidatable
{
    /// <summary>Display name of the layer.</summary>
    public string? Name { get; set; }

    /// <summary>How the layer rotates: <c>daily</c>, <c>weekly</c> or <c>custom</c>.</summary>
    public RotationKind Rotation { get; set; } = RotationKind.Weekly;

    /// <summary>
    /// When shifts change, in the schedule's time zone: <c>"Mon 09:00"</c> for weekly, <c>"09:00"</c>
    /// for daily and custom rotations. A weekly handoff without a weekday hands off on Monday.
    /// </summary>
    public HandoffTime Handoff { get; set; } = new(null, new TimeOnly(9, 0));

    /// <summary>The weekday a weekly rotation hands off on (Monday unless <c>handoff</c> names one); null for other rotations.</summary>
    public DayOfWeek? HandoffDay => Rotation == RotationKind.Weekly ? Handoff.Day ?? DayOfWeek.Monday : null;

    /// <summary>Shift length of a <c>custom</c> rotation (like <c>12h</c> or <c>3d</c>).</summary>
    [Positive]
    public TimeSpan? ShiftLength { get; set; }

    /// <summary>
    /// Date the first member's first shift starts (in the schedule's zone). It fixes who is on call
    /// when; without it shifts are counted from 2024-01-01.
    /// </summary>
    public DateOnly? Start { get; set; }

    /// <summary>People in rotation order.</summary>
    [Mandatory]
    [NotEmpty]
    [ReferenceTo("people")]
    public IReadOnlyList<string> Members { get; set; } = [];

    /// <summary>Limit the layer to these time windows (like business hours); empty means all the time.</summary>
    public IReadOnlyList<LayerRestrictionConfig> Restrictions { get; set; } = [];

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        var handoffPath = ConfigPath.Member(path, "handoff");
        if (Rotation != RotationKind.Weekly && Handoff.Day is not null)
        {
            context.Error(handoffPath, $"a {Rotation.ToString().ToLowerInvariant()} rotation hands off at a time of day; write `\"{(Handoff with { Day = null }).ToConfigString()}\"` without a weekday");
        }

        if (Rotation == RotationKind.Custom && ShiftLength is null)
        {
            context.Error(ConfigPath.Member(path, "rotation"), "a custom rotation needs `shift_length` (like 12h or 3d)");
        }

        if (Rotation != RotationKind.Custom && ShiftLength is not null)
        {
            context.Error(ConfigPath.Member(path, "shift_length"), $"`shift_length` applies only to `rotation: custom`; a {Rotation.ToString().ToLowerInvariant()} rotation has fixed shifts");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Members.Count; i++)
        {
            if (Members[i] is { } member && !seen.Add(member))
            {
                context.Error(ConfigPath.Index(ConfigPath.Member(path, "members"), i), $"`{member}` is listed twice in this layer; list each person once (rotation order)");
            }
        }
    }
}
