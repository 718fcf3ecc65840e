namespace Vigil.Core.Config;

/// <summary>
/// A time window a layer is limited to (an entry of <c>restrictions:</c>), in the schedule's time
/// zone. When <c>to</c> is not after <c>from</c> the window runs past midnight.
/// </summary>
public sealed class LayerRestrictionConfig
{
    /// <summary>Weekdays the window applies to (<c>mon</c>..<c>sun</c>); empty means every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; set; } = [];

    /// <summary>Start of the window (like <c>09:00</c>).</summary>
    [Mandatory]
    public TimeOnly From { get; set; }

    /// <summary>End of the window (like <c>17:00</c>).</summary>
    [Mandatory]
    public TimeOnly To { get; set; }
}
