using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Backups;

/// <summary>
/// Grandfather-father-son retention, as a pure function. Newest first, a backup is kept when it is
/// among the last N, younger than <c>within</c>, or the newest backup of one of the last N hours, days,
/// ISO weeks or months (periods counted in the job's time zone, only periods that have a backup).
/// </summary>
public static class BackupRetention
{
    public static IReadOnlyList<RetentionDecision> Plan(IReadOnlyList<RetentionItem> backups, BackupRetentionConfig keep, TimeZoneInfo zone, DateTimeOffset now)
    {
        var ordered = backups.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id, StringComparer.Ordinal).ToList();
        var reasons = ordered.ToDictionary(b => b.Id, _ => new List<string>(), StringComparer.Ordinal);

        if (keep.Last is { } last)
        {
            foreach (var b in ordered.Take(last))
            {
                reasons[b.Id].Add("last");
            }
        }

        if (keep.Within is { } within)
        {
            foreach (var b in ordered.Where(b => b.CreatedAt > now - within))
            {
                reasons[b.Id].Add("within");
            }
        }

        Bucket(ordered, reasons, keep.Hourly, "hourly", t => t.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture), zone);
        Bucket(ordered, reasons, keep.Daily, "daily", t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), zone);
        Bucket(ordered, reasons, keep.Weekly, "weekly", t => $"{ISOWeek.GetYear(t.DateTime)}-W{ISOWeek.GetWeekOfYear(t.DateTime):00}", zone);
        Bucket(ordered, reasons, keep.Monthly, "monthly", t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture), zone);

        return ordered.Select(b => new RetentionDecision(b.Id, b.CreatedAt, reasons[b.Id].Count > 0, reasons[b.Id])).ToList();
    }

    private static void Bucket(List<RetentionItem> newestFirst, Dictionary<string, List<string>> reasons, int? count, string rule, Func<DateTimeOffset, string> period, TimeZoneInfo zone)
    {
        if (count is not { } n)
        {
            return;
        }

        string? previous = null;
        var kept = 0;
        foreach (var b in newestFirst)
        {
            if (kept == n)
            {
                break;
            }

            var key = period(TimeZoneInfo.ConvertTime(b.CreatedAt, zone));
            if (key != previous)
            {
                reasons[b.Id].Add($"{rule} {key}");
                previous = key;
                kept++;
            }
        }
    }
}
