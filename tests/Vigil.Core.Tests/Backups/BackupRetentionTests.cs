using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Backups;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Backups;

public sealed class BackupRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A nightly job for 120 days on a fake clock: which backups does GFS keep?</summary>
    private static (List<RetentionItem> Items, DateTimeOffset Now) Nightly(int days)
    {
        var clock = new FakeTimeProvider(Start);
        var items = new List<RetentionItem>();
        for (var i = 0; i < days; i++)
        {
            items.Add(new RetentionItem($"b{i:000}", clock.GetUtcNow()));
            clock.Advance(TimeSpan.FromDays(1));
        }

        return (items, clock.GetUtcNow());
    }

    [Fact]
    public void Plan_LastDailyWeeklyMonthly_KeepsTheNewestOfEachPeriod()
    {
        var (items, now) = Nightly(120);
        var keep = new BackupRetentionConfig { Last = 2, Daily = 7, Weekly = 4, Monthly = 3 };

        var plan = BackupRetention.Plan(items, keep, TimeZoneInfo.Utc, now);
        var kept = plan.Where(d => d.Keep).Select(d => d.CreatedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        // 7 daily (Apr 24–30); weekly 4 is Apr 30 and the Sundays Apr 26, 19, 12 (ISO weeks end on Sunday), adding two;
        // monthly 3 is Apr 30, Mar 31 and Feb 28, adding two.
        Assert.Equal(["2026-04-30", "2026-04-29", "2026-04-28", "2026-04-27", "2026-04-26", "2026-04-25", "2026-04-24",
            "2026-04-19", "2026-04-12", "2026-03-31", "2026-02-28"], kept);
        Assert.Equal(["last", "daily 2026-04-30", "weekly 2026-W18", "monthly 2026-04"], plan[0].Reasons);
        Assert.Equal(120 - 11, plan.Count(d => !d.Keep));
    }

    [Fact]
    public void Plan_LastOnly_KeepsExactlyN()
    {
        var (items, now) = Nightly(10);

        var plan = BackupRetention.Plan(items, new BackupRetentionConfig { Last = 3 }, TimeZoneInfo.Utc, now);

        Assert.Equal(["b009", "b008", "b007"], plan.Where(d => d.Keep).Select(d => d.Id));
    }

    [Fact]
    public void Plan_Within_KeepsYoungerThanTheAge()
    {
        var (items, now) = Nightly(10);

        var plan = BackupRetention.Plan(items, new BackupRetentionConfig { Within = TimeSpan.FromHours(80) }, TimeZoneInfo.Utc, now);

        Assert.Equal(["b009", "b008", "b007"], plan.Where(d => d.Keep).Select(d => d.Id));
    }

    [Fact]
    public void Plan_DailyInTheJobsZone_BucketsByLocalDay()
    {
        // 23:30 UTC and 00:30 UTC are the same day in New York (18:30 and 19:30): daily 2 keeps one of them, and one from the day before.
        var items = new List<RetentionItem>
        {
            new("a", new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero)),
            new("b", new DateTimeOffset(2026, 3, 2, 0, 30, 0, TimeSpan.Zero)),
            new("c", new DateTimeOffset(2026, 3, 1, 3, 0, 0, TimeSpan.Zero)),
        };
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var utc = BackupRetention.Plan(items, new BackupRetentionConfig { Daily = 2 }, TimeZoneInfo.Utc, items[1].CreatedAt);
        var local = BackupRetention.Plan(items, new BackupRetentionConfig { Daily = 2 }, ny, items[1].CreatedAt);

        Assert.Equal(["b", "a"], utc.Where(d => d.Keep).Select(d => d.Id));
        Assert.Equal(["b", "c"], local.Where(d => d.Keep).Select(d => d.Id));
    }

    [Fact]
    public void Plan_SeveralBackupsADay_DailyKeepsTheNewestOfTheDay()
    {
        var clock = new FakeTimeProvider(Start);
        var items = new List<RetentionItem>();
        for (var i = 0; i < 48; i++)
        {
            items.Add(new RetentionItem($"h{i:00}", clock.GetUtcNow()));
            clock.Advance(TimeSpan.FromHours(1));
        }

        var plan = BackupRetention.Plan(items, new BackupRetentionConfig { Daily = 3 }, TimeZoneInfo.Utc, clock.GetUtcNow());

        // 02:00 Jan 1 .. 01:00 Jan 3: the newest of Jan 3, Jan 2 and Jan 1.
        Assert.Equal(["h47", "h45", "h21"], plan.Where(d => d.Keep).Select(d => d.Id));
    }
}
