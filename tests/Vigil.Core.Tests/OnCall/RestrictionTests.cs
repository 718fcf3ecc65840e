using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>Layers limited to time windows. 2025-01-06 is a Monday, 2025-01-10 a Friday.</summary>
public sealed class RestrictionTests
{
    [Theory]
    // daily alice/bob from Mon 01-06 09:00, only Mon-Fri 09:00-17:00
    [InlineData("2025-01-06T10:00Z", "alice", "2025-01-06T09:00Z", "2025-01-06T17:00Z")]
    [InlineData("2025-01-06T16:59Z", "alice", "2025-01-06T09:00Z", "2025-01-06T17:00Z")]
    [InlineData("2025-01-06T17:00Z", null, "2025-01-06T17:00Z", "2025-01-07T09:00Z")]
    [InlineData("2025-01-07T08:59Z", null, "2025-01-06T17:00Z", "2025-01-07T09:00Z")]
    [InlineData("2025-01-07T09:00Z", "bob", "2025-01-07T09:00Z", "2025-01-07T17:00Z")]
    // the weekend is empty from Friday 17:00 to Monday 09:00
    [InlineData("2025-01-10T18:00Z", null, "2025-01-10T17:00Z", "2025-01-13T09:00Z")]
    [InlineData("2025-01-11T12:00Z", null, "2025-01-10T17:00Z", "2025-01-13T09:00Z")]
    [InlineData("2025-01-13T09:00Z", "bob", "2025-01-13T09:00Z", "2025-01-13T17:00Z")]
    public void BusinessHours_LayerIsEmptyOutsideItsWindows(string at, string? person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: daily
                    handoff: "09:00"
                    start: 2025-01-06
                    members: [alice, bob]
                    restrictions:
                      - { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
            """);

        var shift = At(schedule, at);

        AssertShift(shift, person, start, end);
        Assert.Equal(person is null, shift.IsNobody);
        Assert.Equal(person is null ? null : OnCallSource.Layer(0, null), shift.Source);
    }

    [Theory]
    // a Friday-night window 22:00 -> Sat 06:00 (the weekday is the day the window starts);
    // the daily shift from Fri 01-10 09:00 (k = 4, alice) runs to Sat 09:00
    [InlineData("2025-01-10T21:59Z", null, "2025-01-04T06:00Z", "2025-01-10T22:00Z")]
    [InlineData("2025-01-10T23:00Z", "alice", "2025-01-10T22:00Z", "2025-01-11T06:00Z")]
    [InlineData("2025-01-11T05:59Z", "alice", "2025-01-10T22:00Z", "2025-01-11T06:00Z")]
    [InlineData("2025-01-11T06:00Z", null, "2025-01-11T06:00Z", "2025-01-17T22:00Z")]
    [InlineData("2025-01-09T23:00Z", null, "2025-01-04T06:00Z", "2025-01-10T22:00Z")]
    [InlineData("2025-01-11T22:30Z", null, "2025-01-11T06:00Z", "2025-01-17T22:00Z")]
    public void OvernightWindow_RunsPastMidnightFromTheDayItStarts(string at, string? person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: daily
                    handoff: "09:00"
                    start: 2025-01-06
                    members: [alice, bob]
                    restrictions:
                      - { days: [fri], from: "22:00", to: "06:00" }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Theory]
    // every night 17:00 -> 09:00; the daily 12:00 handoff splits the night-time stretches
    // shift k from 2025-01-06 12:00: Tue 01-07 12:00 is bob's (k = 1), Wed 01-08 12:00 carol's
    [InlineData("2025-01-08T03:00Z", "bob", "2025-01-07T17:00Z", "2025-01-08T09:00Z")]
    [InlineData("2025-01-08T12:00Z", null, "2025-01-08T09:00Z", "2025-01-08T17:00Z")]
    [InlineData("2025-01-08T17:00Z", "carol", "2025-01-08T17:00Z", "2025-01-09T09:00Z")]
    public void NightlyWindowWithoutDays_AppliesEveryDay(string at, string? person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: daily
                    handoff: "12:00"
                    start: 2025-01-06
                    members: [alice, bob, carol]
                    restrictions:
                      - { from: "17:00", to: "09:00" }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Fact]
    public void WholeDayWindow_FromEqualsTo_CoversTheDayAndTouchingWindowsJoin()
    {
        // from == to is 24h starting at `from`; Sat and Sun windows touch, so the weekend is one stretch
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: weekly
                    handoff: "Mon 09:00"
                    start: 2025-01-06
                    members: [alice]
                    restrictions:
                      - { days: [sat, sun], from: "00:00", to: "00:00" }
            """);

        AssertShift(At(schedule, "2025-01-11T12:00Z"), "alice", "2025-01-11T00:00Z", "2025-01-13T00:00Z");
        AssertShift(At(schedule, "2025-01-13T00:00Z"), null, "2025-01-13T00:00Z", "2025-01-18T00:00Z");
    }

    [Theory]
    // Berlin business hours follow the wall clock: Fri 28 Mar 09:00 CET = 08:00Z, Mon 31 Mar 09:00 CEST = 07:00Z
    [InlineData("2025-03-28T07:30Z", null)]
    [InlineData("2025-03-28T08:00Z", "alice")]
    [InlineData("2025-03-28T15:59Z", "alice")]
    [InlineData("2025-03-28T16:00Z", null)]
    [InlineData("2025-03-31T07:00Z", "alice")]
    [InlineData("2025-03-31T14:59Z", "alice")]
    [InlineData("2025-03-31T15:00Z", null)]
    public void Windows_FollowTheWallClockAcrossDst(string at, string? person)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: Europe/Berlin
                layers:
                  - rotation: weekly
                    members: [alice]
                    restrictions:
                      - { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
            """);

        Assert.Equal(person, At(schedule, at).PersonId);
    }

    [Fact]
    public void OvernightWindow_AcrossFallBack_IsNineHoursLong()
    {
        // Berlin Sat 25 Oct 22:00 CEST = 20:00Z to Sun 26 Oct 06:00 CET = 05:00Z: 8 wall-clock hours, 9 real ones
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: Europe/Berlin
                layers:
                  - rotation: weekly
                    members: [alice]
                    restrictions:
                      - { days: [sat], from: "22:00", to: "06:00" }
            """);

        var shift = At(schedule, "2025-10-26T01:30Z");

        AssertShift(shift, "alice", "2025-10-25T20:00Z", "2025-10-26T05:00Z");
        Assert.Equal(TimeSpan.FromHours(9), shift.Length);
    }
}
