using Vigil.Core.Config;

namespace Vigil.Core.OnCall;

/// <summary>Whether a layer's restrictions let it be on call at an instant, and for how long that holds.</summary>
/// <param name="Active">True inside a window (or when the layer has no restrictions).</param>
/// <param name="Start">When this active or inactive stretch began (at the latest).</param>
/// <param name="End">When it ends (at the earliest).</param>
internal readonly record struct RestrictionState(bool Active, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The time windows a layer is limited to. A restriction on day <c>d</c> covers
/// <c>[d at from, d at to)</c>, or <c>[d at from, d+1 at to)</c> when <c>to</c> is not after
/// <c>from</c> (past midnight; <c>from == to</c> is a whole day). <c>days</c> name the day a window
/// STARTS on, so <c>{ days: [fri], from: "22:00", to: "06:00" }</c> covers Friday night into
/// Saturday morning. Both ends are wall-clock times in the schedule zone resolved with
/// <see cref="WallClock.ToInstant"/>; a window squeezed to nothing by a spring-forward gap is dropped.
/// </summary>
internal static class RestrictionWindows
{
    /// <summary>Days scanned either side of the instant: every restriction recurs within a week.</summary>
    private const int ScanDays = 8;

    /// <summary>The state at <paramref name="at"/>; overlapping and touching windows count as one.</summary>
    public static RestrictionState At(IReadOnlyList<LayerRestrictionConfig> restrictions, TimeZoneInfo zone, DateTimeOffset at)
    {
        if (restrictions.Count == 0)
        {
            return new RestrictionState(true, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        }

        var today = DateOnly.FromDateTime(WallClock.ToLocal(at, zone));
        var windows = Merge(Windows(restrictions, zone, today.AddDays(-ScanDays), today.AddDays(ScanDays)));
        var previousEnd = WallClock.ToInstant(today.AddDays(-ScanDays).ToDateTime(TimeOnly.MinValue), zone);
        foreach (var (start, end) in windows)
        {
            if (at < start)
            {
                return new RestrictionState(false, previousEnd, start);
            }

            if (at < end)
            {
                return new RestrictionState(true, start, end);
            }

            previousEnd = end;
        }

        return new RestrictionState(false, previousEnd, WallClock.ToInstant(today.AddDays(ScanDays + 1).ToDateTime(TimeOnly.MinValue), zone));
    }

    /// <summary>Every window starting on a day from <paramref name="first"/> to <paramref name="last"/>, in no particular order.</summary>
    internal static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Windows(IReadOnlyList<LayerRestrictionConfig> restrictions, TimeZoneInfo zone, DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            foreach (var r in restrictions)
            {
                if (r.Days.Count > 0 && !r.Days.Contains(day.DayOfWeek))
                {
                    continue;
                }

                var start = WallClock.ToInstant(day.ToDateTime(r.From), zone);
                var end = WallClock.ToInstant((r.To <= r.From ? day.AddDays(1) : day).ToDateTime(r.To), zone);
                if (start < end)
                {
                    yield return (start, end);
                }
            }
        }
    }

    /// <summary>Sorts windows and joins those that overlap or touch.</summary>
    internal static List<(DateTimeOffset Start, DateTimeOffset End)> Merge(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> windows)
    {
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var w in windows.OrderBy(w => w.Start))
        {
            if (merged.Count > 0 && w.Start <= merged[^1].End)
            {
                if (w.End > merged[^1].End)
                {
                    merged[^1] = (merged[^1].Start, w.End);
                }
            }
            else
            {
                merged.Add(w);
            }
        }

        return merged;
    }
}
