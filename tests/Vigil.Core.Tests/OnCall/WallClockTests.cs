using System.Globalization;
using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>
/// 2025 transitions used throughout: Europe/Berlin springs forward Sun 30 Mar at 02:00 CET
/// (01:00 UTC) to 03:00 CEST and falls back Sun 26 Oct at 03:00 CEST (01:00 UTC) to 02:00 CET;
/// America/New_York springs forward Sun 9 Mar at 02:00 EST (07:00 UTC) to 03:00 EDT and falls
/// back Sun 2 Nov at 02:00 EDT (06:00 UTC) to 01:00 EST.
/// </summary>
public sealed class WallClockTests
{
    [Theory]
    // ordinary times: winter Berlin is UTC+1, summer New York is UTC-4
    [InlineData("Europe/Berlin", "2025-01-15 09:00", "2025-01-15T08:00Z")]
    [InlineData("America/New_York", "2025-07-01 09:00", "2025-07-01T13:00Z")]
    // spring-forward gap: Berlin 02:00-03:00 does not exist on 30 Mar; anything in it is 03:00 CEST = 01:00Z
    [InlineData("Europe/Berlin", "2025-03-30 01:59", "2025-03-30T00:59Z")]
    [InlineData("Europe/Berlin", "2025-03-30 02:00", "2025-03-30T01:00Z")]
    [InlineData("Europe/Berlin", "2025-03-30 02:30", "2025-03-30T01:00Z")]
    [InlineData("Europe/Berlin", "2025-03-30 03:00", "2025-03-30T01:00Z")]
    [InlineData("Europe/Berlin", "2025-03-30 03:30", "2025-03-30T01:30Z")]
    // New York 02:00-03:00 does not exist on 9 Mar; the gap ends at 03:00 EDT = 07:00Z
    [InlineData("America/New_York", "2025-03-09 02:30", "2025-03-09T07:00Z")]
    [InlineData("America/New_York", "2025-03-09 03:00", "2025-03-09T07:00Z")]
    // doubled hour: Berlin 02:00-03:00 happens twice on 26 Oct; first is CEST (UTC+2): 02:30 CEST = 00:30Z
    [InlineData("Europe/Berlin", "2025-10-26 02:00", "2025-10-26T00:00Z")]
    [InlineData("Europe/Berlin", "2025-10-26 02:30", "2025-10-26T00:30Z")]
    [InlineData("Europe/Berlin", "2025-10-26 03:00", "2025-10-26T02:00Z")]
    // New York 01:00-02:00 happens twice on 2 Nov; first is EDT (UTC-4): 01:30 EDT = 05:30Z
    [InlineData("America/New_York", "2025-11-02 01:00", "2025-11-02T05:00Z")]
    [InlineData("America/New_York", "2025-11-02 01:30", "2025-11-02T05:30Z")]
    [InlineData("America/New_York", "2025-11-02 02:00", "2025-11-02T07:00Z")]
    public void ToInstant_ResolvesGapsForwardAndDoubledTimesToTheFirstOccurrence(string zone, string local, string expected)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var wall = DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        var instant = WallClock.ToInstant(wall, tz);

        Assert.Equal(T(expected), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Fact]
    public void ToInstant_IgnoresTheKindOfTheLocalTime()
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var utcKind = new DateTime(2025, 1, 15, 9, 0, 0, DateTimeKind.Utc);

        // 09:00 EST = 14:00Z, not 09:00Z
        Assert.Equal(T("2025-01-15T14:00Z"), WallClock.ToInstant(utcKind, tz));
    }

    [Fact]
    public void ToLocal_ShowsBothPassesOfTheDoubledHour()
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 00:30Z is 02:30 CEST and 01:30Z is 02:30 CET: the same wall time an hour apart
        Assert.Equal(new DateTime(2025, 10, 26, 2, 30, 0), WallClock.ToLocal(T("2025-10-26T00:30Z"), tz));
        Assert.Equal(new DateTime(2025, 10, 26, 2, 30, 0), WallClock.ToLocal(T("2025-10-26T01:30Z"), tz));
    }
}
