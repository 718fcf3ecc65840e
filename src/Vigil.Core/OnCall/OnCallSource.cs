using System.Globalization;

namespace Vigil.Core.OnCall;

/// <summary>What decided who is on call.</summary>
public enum OnCallSourceKind
{
    /// <summary>A rotation layer of the schedule.</summary>
    Layer,

    /// <summary>An override written in the schedule's config (<c>overrides:</c>).</summary>
    ConfigOverride,

    /// <summary>An ad-hoc override (stored state, <c>vigil override add</c>).</summary>
    Override,
}

/// <summary>
/// What decided who is on call: a layer (by index in <c>layers:</c> and name), a config override
/// (by index in <c>overrides:</c>) or an ad-hoc override (by id). Two answers with equal sources
/// and the same person are the same shift.
/// </summary>
/// <param name="Kind">Layer, config override or ad-hoc override.</param>
/// <param name="Index">The layer's index in <c>layers:</c>, or the config override's index in <c>overrides:</c>; null for ad-hoc overrides.</param>
/// <param name="LayerName">The layer's name, when it has one.</param>
/// <param name="OverrideId">The override's id (negative for config overrides, see <see cref="ScheduleResolver.ConfigOverrides"/>); null for layers.</param>
public sealed record OnCallSource(OnCallSourceKind Kind, int? Index, string? LayerName, long? OverrideId)
{
    /// <summary>The layer at <paramref name="index"/> in <c>layers:</c>.</summary>
    public static OnCallSource Layer(int index, string? name) => new(OnCallSourceKind.Layer, index, name, null);

    /// <summary>The config override at <paramref name="index"/> in <c>overrides:</c>, with its synthetic (negative) id.</summary>
    public static OnCallSource ConfigOverride(int index, long id) => new(OnCallSourceKind.ConfigOverride, index, null, id);

    /// <summary>The ad-hoc override with store id <paramref name="id"/>.</summary>
    public static OnCallSource Override(long id) => new(OnCallSourceKind.Override, null, null, id);

    /// <summary>A short description for humans: <c>layer 1 (day)</c>, <c>config override 0</c>, <c>override 42</c>.</summary>
    public override string ToString() => Kind switch
    {
        OnCallSourceKind.Layer when LayerName is { Length: > 0 } name => string.Create(CultureInfo.InvariantCulture, $"layer {Index} ({name})"),
        OnCallSourceKind.Layer => string.Create(CultureInfo.InvariantCulture, $"layer {Index}"),
        OnCallSourceKind.ConfigOverride => string.Create(CultureInfo.InvariantCulture, $"config override {Index}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"override {OverrideId}"),
    };
}
