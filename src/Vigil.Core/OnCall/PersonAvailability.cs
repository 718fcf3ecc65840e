using Vigil.Core.Config;

namespace Vigil.Core.OnCall;

/// <summary>
/// Whether a person may be paged directly (<c>availability:</c>): <c>always</c> is any time;
/// <c>business-hours</c> is Monday to Friday, 09:00 (inclusive) to 17:00 (exclusive) on the wall
/// clock of the person's own time zone, so the hours follow DST changes (09:00 in New York is
/// 14:00 UTC in winter and 13:00 UTC in summer). Custom weekly windows (<c>available:</c>) replace
/// both, evaluated like schedule restrictions in the person's zone.
/// </summary>
public static class PersonAvailability
{
    /// <summary>Business hours start (inclusive), local time.</summary>
    public static TimeOnly BusinessStart { get; } = new(9, 0);

    /// <summary>Business hours end (exclusive), local time.</summary>
    public static TimeOnly BusinessEnd { get; } = new(17, 0);

    /// <summary>Whether <paramref name="person"/> may be paged at <paramref name="at"/>.</summary>
    public static bool IsAvailable(PersonConfig person, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (person.Available.Count > 0)
        {
            return RestrictionWindows.At(person.Available, FindZone(person), at).Active;
        }

        return person.Availability switch
        {
            Availability.BusinessHours => IsBusinessHours(WallClock.ToLocal(at, FindZone(person))),
            _ => true,
        };
    }

    /// <summary>Whether a local time is within business hours (Monday–Friday, 09:00–17:00).</summary>
    public static bool IsBusinessHours(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        return local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
            && time >= BusinessStart
            && time < BusinessEnd;
    }

    private static TimeZoneInfo FindZone(PersonConfig person) =>
        TimeZones.TryFind(person.Timezone, out var zone) && zone is not null
            ? zone
            : throw new ArgumentException($"person `{person.Id}` has an unknown time zone `{person.Timezone}`", nameof(person));
}
