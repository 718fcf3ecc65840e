using Vigil.Core.Config;

namespace Vigil.Core.OnCall;

/// <summary>
/// The shift boundaries of one rotation layer: boundary <c>k</c> starts shift <c>k</c>, which
/// belongs to member <c>k mod members</c>. Boundary 0 is the layer's anchor (see
/// <see cref="ScheduleResolver"/> for how daily, weekly and custom rotations are anchored).
/// Boundaries are either wall-clock times (<c>anchor + k × step</c> in local time, each resolved
/// with <see cref="WallClock.ToInstant"/>) or elapsed time (<c>anchor instant + k × step</c>).
/// </summary>
internal sealed class ShiftGrid
{
    private static readonly long _minLocalTicks = DateTime.MinValue.Ticks + (2 * TimeSpan.TicksPerDay);
    private static readonly long _maxLocalTicks = DateTime.MaxValue.Ticks - (2 * TimeSpan.TicksPerDay);

    private readonly TimeZoneInfo _zone;
    private readonly long _anchorTicks;
    private readonly long _stepTicks;

    private ShiftGrid(TimeZoneInfo zone, bool wallClock, long anchorTicks, long stepTicks)
    {
        _zone = zone;
        IsWallClock = wallClock;
        _anchorTicks = anchorTicks;
        _stepTicks = stepTicks;
    }

    /// <summary>True when boundaries are wall-clock times; false when they are elapsed time from the anchor.</summary>
    public bool IsWallClock { get; }

    /// <summary>The distance between boundaries (in local time for wall-clock grids).</summary>
    public TimeSpan Step => TimeSpan.FromTicks(_stepTicks);

    /// <summary>The grid of <paramref name="layer"/> in <paramref name="zone"/>.</summary>
    public static ShiftGrid For(ScheduleLayerConfig layer, TimeZoneInfo zone)
    {
        var start = layer.Start ?? ScheduleResolver.DefaultStart;
        var time = layer.Handoff.Time;
        switch (layer.Rotation)
        {
            case RotationKind.Daily:
                return WallClockGrid(zone, start.ToDateTime(time), TimeSpan.FromDays(1));
            case RotationKind.Weekly:
                var day = layer.HandoffDay ?? DayOfWeek.Monday;
                var back = ((int)start.DayOfWeek - (int)day + 7) % 7;
                return WallClockGrid(zone, start.AddDays(-back).ToDateTime(time), TimeSpan.FromDays(7));
            default:
                var length = layer.ShiftLength ?? throw new ArgumentException("a custom rotation needs a shift length", nameof(layer));
                if (length <= TimeSpan.Zero)
                {
                    throw new ArgumentException($"shift length must be positive, not {length}", nameof(layer));
                }

                var anchor = start.ToDateTime(time);
                return KeepsWallClock(length)
                    ? WallClockGrid(zone, anchor, length)
                    : new ShiftGrid(zone, wallClock: false, WallClock.ToInstant(anchor, zone).UtcTicks, length.Ticks);
        }
    }

    /// <summary>
    /// Whether a custom shift length keeps wall-clock handoffs: a whole number of days, or an even
    /// divisor of a day (12h, 8h, 6h, 90m, …), so the handoffs fall at the same local times every day.
    /// </summary>
    public static bool KeepsWallClock(TimeSpan length) =>
        length.Ticks % TimeSpan.TicksPerDay == 0 || TimeSpan.TicksPerDay % length.Ticks == 0;

    /// <summary>The instant shift <paramref name="k"/> starts (saturating at the ends of the calendar).</summary>
    public DateTimeOffset Boundary(long k)
    {
        var ticks = _anchorTicks + ((Int128)k * _stepTicks);
        if (ticks < _minLocalTicks)
        {
            return DateTimeOffset.MinValue;
        }

        if (ticks > _maxLocalTicks)
        {
            return DateTimeOffset.MaxValue;
        }

        return IsWallClock
            ? WallClock.ToInstant(new DateTime((long)ticks, DateTimeKind.Unspecified), _zone)
            : new DateTimeOffset((long)ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// The shift containing <paramref name="at"/>: the <c>k</c> with
    /// <c>Boundary(k) &lt;= at &lt; Boundary(k + 1)</c>. Boundaries never decrease with <c>k</c>
    /// (two can coincide when both fall in one spring-forward gap; that shift is empty and never
    /// returned), so a galloping search from an estimate finds it in a few steps.
    /// </summary>
    public long IndexAt(DateTimeOffset at)
    {
        var position = IsWallClock ? WallClock.ToLocal(at, _zone).Ticks : at.UtcTicks;
        var guess = FloorDiv(position - _anchorTicks, _stepTicks);
        long lo;
        long hi;
        if (Boundary(guess) <= at)
        {
            // Boundaries saturate at DateTimeOffset.MaxValue, and callers keep `at` well inside the
            // calendar, so the doubling ends before the index could overflow.
            lo = guess;
            hi = guess + 1;
            for (long step = 1; Boundary(hi) <= at; step *= 2)
            {
                lo = hi;
                hi = guess + (step * 2);
            }
        }
        else
        {
            hi = guess;
            lo = guess - 1;
            for (long step = 1; Boundary(lo) > at; step *= 2)
            {
                hi = lo;
                lo = guess - (step * 2);
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Boundary(mid) <= at)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Floor division (rounds toward negative infinity, so times before the anchor get negative shifts).</summary>
    public static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static ShiftGrid WallClockGrid(TimeZoneInfo zone, DateTime anchor, TimeSpan step) =>
        new(zone, wallClock: true, anchor.Ticks, step.Ticks);
}
