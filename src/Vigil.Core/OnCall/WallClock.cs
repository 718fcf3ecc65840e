namespace Vigil.Core.OnCall;

/// <summary>
/// Wall-clock times in a time zone and the instants they happen at. A wall-clock time can fail to
/// exist (it is inside the gap when clocks spring forward) or happen twice (inside the doubled hour
/// when clocks fall back); <see cref="ToInstant"/> settles both the same way everywhere in on-call
/// computation, so a handoff and a restriction window at the same local time agree.
/// </summary>
public static class WallClock
{
    /// <summary>
    /// The first instant at which the wall clock in <paramref name="zone"/> shows
    /// <paramref name="local"/> or later:
    /// <list type="bullet">
    /// <item>an ordinary local time maps to its one instant;</item>
    /// <item>a local time that does not exist (in the spring-forward gap, like 02:30 in
    /// Europe/Berlin on the last Sunday of March) maps to the first valid instant after the gap,
    /// the transition itself (03:00 CEST = 01:00 UTC);</item>
    /// <item>an ambiguous local time (in the doubled fall-back hour, like 01:30 in America/New_York
    /// on the first Sunday of November) maps to its FIRST occurrence, still on daylight time
    /// (01:30 EDT = 05:30 UTC).</item>
    /// </list>
    /// The <see cref="DateTime.Kind"/> of <paramref name="local"/> is ignored. The result has offset zero.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return EndOfGap(local, zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The earlier instant is the one still on the larger (pre-transition) offset.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToOffset(TimeSpan.Zero);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The wall-clock time in <paramref name="zone"/> at <paramref name="at"/> (kind unspecified).</summary>
    public static DateTime ToLocal(DateTimeOffset at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(at, zone).DateTime;
    }

    /// <summary>
    /// The instant the gap containing <paramref name="local"/> ends: the smallest instant whose wall
    /// time is at or after <paramref name="local"/>. It lies between <c>local - larger offset</c> and
    /// <c>local - smaller offset</c> (offsets read two days either side), and the wall time only moves
    /// forward across a spring-forward transition, so a binary search over ticks finds it exactly.
    /// </summary>
    private static DateTimeOffset EndOfGap(DateTime local, TimeZoneInfo zone)
    {
        var guess = new DateTimeOffset(local, TimeSpan.Zero);
        var before = zone.GetUtcOffset(guess.AddDays(-2));
        var after = zone.GetUtcOffset(guess.AddDays(2));
        var lo = local.Ticks - Math.Max(before.Ticks, after.Ticks);
        var hi = local.Ticks - Math.Min(before.Ticks, after.Ticks);
        if (!ShowsAtLeast(hi, local, zone))
        {
            return new DateTimeOffset(hi, TimeSpan.Zero);
        }

        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (ShowsAtLeast(mid, local, zone))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return new DateTimeOffset(hi, TimeSpan.Zero);
    }

    private static bool ShowsAtLeast(long utcTicks, DateTime local, TimeZoneInfo zone)
    {
        var instant = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return utcTicks + zone.GetUtcOffset(instant).Ticks >= local.Ticks;
    }
}
