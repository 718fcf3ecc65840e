using Vigil.Core.StatusPage;
using Vigil.Core.Storage;

namespace Vigil.Server.StatusPage;

/// <summary>
/// The daily uptime totals of the shown services, kept in memory: read whole (90 days of hourly rollups,
/// summed per check and day by the store) when the shown services or their checks change, and after that only
/// the current day (and, in the first hour of a day, the day before, whose last hour is still being
/// flushed) every <see cref="StatusPageOptions.UptimeRefresh"/>. Past days do not change, so the status
/// page never re-reads 90 days per rebuild. Only the status page's rebuild loop calls it.
/// </summary>
internal sealed class UptimeBook(IVigilStore store, StatusPageOptions options)
{
    private Dictionary<string, Dictionary<DateOnly, DayCount>> _byService = new(StringComparer.Ordinal);
    private string? _checksKey;
    private DateTimeOffset _refreshedAt;

    /// <summary>How many full reads have run (tests and the benchmark watch it).</summary>
    public int FullReads { get; private set; }

    /// <summary>The totals per shown service, re-read as described above when due.</summary>
    /// <param name="checksKey">Names the shown services and their checks; a new key means a full read.</param>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, DayCount>>> GetAsync(IReadOnlySet<string> shown, string checksKey,
        DateTimeOffset now, CancellationToken ct)
    {
        var first = StatusPageBuilder.Days(now)[0];
        if (checksKey != _checksKey)
        {
            var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var totals = shown.Count == 0 ? [] : await store.ReadAsync((s, c) => s.Checks.ListDailyTotalsAsync(since, c), ct);
            _byService = StatusPageBuilder.ByService(totals, shown);
            _checksKey = checksKey;
            _refreshedAt = now;
            FullReads++;
        }
        else if (now - _refreshedAt >= options.UptimeRefresh || now < _refreshedAt)
        {
            // From the start of the day an hour ago: today, plus yesterday while its last hour may still be flushing.
            var sinceDay = DateOnly.FromDateTime((now - TimeSpan.FromHours(1)).UtcDateTime);
            var since = new DateTimeOffset(sinceDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var totals = shown.Count == 0 ? [] : await store.ReadAsync((s, c) => s.Checks.ListDailyTotalsAsync(since, c), ct);
            var fresh = StatusPageBuilder.ByService(totals, shown);
            foreach (var (service, days) in _byService)
            {
                foreach (var day in days.Keys.Where(d => d >= sinceDay || d < first).ToList())
                {
                    days.Remove(day);
                }
            }

            foreach (var (service, days) in fresh)
            {
                if (!_byService.TryGetValue(service, out var kept))
                {
                    _byService[service] = kept = [];
                }

                foreach (var (day, count) in days)
                {
                    kept[day] = count;
                }
            }

            _refreshedAt = now;
        }

        return _byService.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<DateOnly, DayCount>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>When the current day's totals are next re-read.</summary>
    public DateTimeOffset NextRefresh => _refreshedAt + options.UptimeRefresh;
}
