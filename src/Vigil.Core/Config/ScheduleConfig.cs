namespace Vigil.Core.Config;

/// <summary>
/// An on-call schedule (an entry of <c>schedules:</c>). Layers are evaluated top to bottom and
/// the last layer with someone on call wins, so later layers override earlier ones.
/// </summary>
public sealed class ScheduleConfig
{
    private string? _name;

    /// <summary>Id used in escalation targets (<c>schedule:primary</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name; defaults to the id.</summary>
    [NotEmpty]
    [DocDefault("the id")]
    public string Name { get => _name ?? Id; set => _name = value; }

    /// <summary>Time zone for handoff times and restrictions (correct across DST changes).</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>Rotation layers.</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyList<ScheduleLayerConfig> Layers { get; set; } = [];

    /// <summary>Planned overrides written in config. Ad-hoc overrides are state, created with <c>vigil override add</c>.</summary>
    public IReadOnlyList<ScheduleOverrideConfig> Overrides { get; set; } = [];
}
