namespace Vigil.Core.Slos;

/// <summary>
/// An SLI's good and total events over time: per minute for the recent past (what burn-rate windows
/// read), per hour beyond it (what the budget window reads). Hours are replaced whole, so a loop can
/// re-read the current hour from history every turn. Pure data: no clock, no I/O.
/// </summary>
public sealed class SliSeries : ISliEvents
{
    private readonly Dictionary<long, SliCount> _minutes = [];
    private readonly Dictionary<long, SliCount> _hours = [];
    private readonly HashSet<long> _hoursWithMinutes = [];

    /// <summary>The earliest minute with events, or null when there are none.</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>How many hours hold data.</summary>
    public int HourCount => _hours.Count;

    public static long MinuteIndex(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerMinute;

    public static long HourIndex(DateTimeOffset t) => t.UtcTicks / TimeSpan.TicksPerHour;

    private static DateTimeOffset FromMinute(long m) => new(m * TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>Replaces one hour with these per-minute counts (minutes outside the hour are ignored).</summary>
    public void ReplaceHour(DateTimeOffset hour, IEnumerable<(DateTimeOffset Minute, SliCount Count)> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var h = HourIndex(hour);
        var first = h * 60;
        for (var m = first; m < first + 60; m++)
        {
            _minutes.Remove(m);
        }

        var sum = default(SliCount);
        foreach (var (minute, count) in minutes)
        {
            var m = MinuteIndex(minute);
            if (m < first || m >= first + 60 || count.Total <= 0)
            {
                continue;
            }

            _minutes[m] = _minutes.TryGetValue(m, out var had) ? had + count : count;
            sum += count;
            if (First is null || FromMinute(m) < First)
            {
                First = FromMinute(m);
            }
        }

        if (sum.Total > 0)
        {
            _hours[h] = sum;
            _hoursWithMinutes.Add(h);
        }
        else
        {
            _hours.Remove(h);
            _hoursWithMinutes.Remove(h);
        }
    }

    /// <summary>Events from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), at minute resolution where minutes are kept (a partial hour without minutes counts pro rata).</summary>
    public SliCount Sum(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return default;
        }

        var fromMinute = MinuteIndex(from);
        var toMinute = MinuteIndex(to - TimeSpan.FromTicks(1)) + 1;
        var total = default(SliCount);
        var firstHour = fromMinute / 60;
        var lastHour = (toMinute - 1) / 60;
        if (lastHour - firstHour + 1 > _hours.Count * 4L)
        {
            // Sparse series over a long span: walk the stored hours rather than every hour of the span.
            foreach (var (h, count) in _hours)
            {
                if (h >= firstHour && h <= lastHour)
                {
                    total += HourPart(h, count, fromMinute, toMinute);
                }
            }

            return total;
        }

        for (var h = firstHour; h <= lastHour; h++)
        {
            if (_hours.TryGetValue(h, out var count))
            {
                total += HourPart(h, count, fromMinute, toMinute);
            }
        }

        return total;
    }

    private SliCount HourPart(long h, SliCount hourCount, long fromMinute, long toMinute)
    {
        var start = Math.Max(h * 60, fromMinute);
        var end = Math.Min(h * 60 + 60, toMinute);
        if (start == h * 60 && end == h * 60 + 60)
        {
            return hourCount;
        }

        if (_hoursWithMinutes.Contains(h))
        {
            var part = default(SliCount);
            for (var m = start; m < end; m++)
            {
                if (_minutes.TryGetValue(m, out var c))
                {
                    part += c;
                }
            }

            return part;
        }

        var share = (end - start) / 60.0;
        return new SliCount((long)Math.Round(hourCount.Good * share), (long)Math.Round(hourCount.Total * share));
    }

    /// <summary>Drops hours before <paramref name="before"/>, and minute detail of hours before <paramref name="minutesBefore"/> (their hourly sums stay).</summary>
    public void Prune(DateTimeOffset before, DateTimeOffset minutesBefore)
    {
        var h0 = HourIndex(before);
        foreach (var h in _hours.Keys.Where(h => h < h0).ToList())
        {
            _hours.Remove(h);
            _hoursWithMinutes.Remove(h);
        }

        var m0 = HourIndex(minutesBefore) * 60;
        foreach (var m in _minutes.Keys.Where(m => m < m0).ToList())
        {
            _minutes.Remove(m);
        }

        _hoursWithMinutes.RemoveWhere(h => h * 60 < m0);
        First = _hours.Count == 0 ? null : FirstOf();
    }

    private DateTimeOffset FirstOf()
    {
        var h = _hours.Keys.Min();
        if (_hoursWithMinutes.Contains(h))
        {
            for (var m = h * 60; m < h * 60 + 60; m++)
            {
                if (_minutes.ContainsKey(m))
                {
                    return FromMinute(m);
                }
            }
        }

        return FromMinute(h * 60);
    }
}
