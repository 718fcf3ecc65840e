namespace Vigil.Core.OnCall;

/// <summary>
/// Someone else is on call for a schedule from <paramref name="From"/> until (not including)
/// <paramref name="To"/>. Ad-hoc overrides (<c>vigil override add</c>) are stored state with
/// positive ids; the <c>overrides:</c> written in a schedule's config are converted to the same
/// shape by <see cref="ScheduleResolver.ConfigOverrides"/> with negative ids, so every ad-hoc
/// override outranks every config one.
/// </summary>
/// <param name="Id">Store id; among overlapping overrides the highest id (the most recently created) wins.</param>
/// <param name="ScheduleId">The schedule it applies to; overrides for other schedules are ignored.</param>
/// <param name="PersonId">Who is on call instead.</param>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive); an override whose end is not after its start never applies.</param>
/// <param name="Reason">Why, for the audit trail.</param>
/// <param name="CreatedBy">Who created it (<c>config</c> for config overrides).</param>
public sealed record OnCallOverride(long Id, string ScheduleId, string PersonId, DateTimeOffset From, DateTimeOffset To, string? Reason, string CreatedBy)
{
    /// <summary>Whether the override applies at <paramref name="at"/>.</summary>
    public bool IsActiveAt(DateTimeOffset at) => From <= at && at < To;
}
