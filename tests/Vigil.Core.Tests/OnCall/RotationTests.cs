using Vigil.Core.Config;
using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>Rotation order, anchors and shift lengths, in UTC so no DST is involved.</summary>
public sealed class RotationTests
{
    private static readonly ScheduleConfig _daily = Schedule("""
        schedules:
          - id: primary
            layers:
              - { name: day, rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice, bob, carol] }
        """);

    [Theory]
    // shift k starts 2025-01-06 09:00 + k days and belongs to members[k mod 3]
    [InlineData("2025-01-06T09:00Z", "alice", "2025-01-06T09:00Z", "2025-01-07T09:00Z")]
    [InlineData("2025-01-07T08:59Z", "alice", "2025-01-06T09:00Z", "2025-01-07T09:00Z")]
    [InlineData("2025-01-07T12:00Z", "bob", "2025-01-07T09:00Z", "2025-01-08T09:00Z")]
    [InlineData("2025-01-08T09:00Z", "carol", "2025-01-08T09:00Z", "2025-01-09T09:00Z")]
    [InlineData("2025-01-09T09:00Z", "alice", "2025-01-09T09:00Z", "2025-01-10T09:00Z")]
    // before the anchor the rotation runs backwards: k = -1 is carol, k = -2 is bob
    [InlineData("2025-01-06T08:59Z", "carol", "2025-01-05T09:00Z", "2025-01-06T09:00Z")]
    [InlineData("2025-01-04T10:00Z", "bob", "2025-01-04T09:00Z", "2025-01-05T09:00Z")]
    public void Daily_RotatesMembersInOrderFromStart(string at, string person, string start, string end)
    {
        var shift = At(_daily, at);

        AssertShift(shift, person, start, end);
        Assert.Equal(OnCallSource.Layer(0, "day"), shift.Source);
    }

    [Theory]
    // without `start` shifts count from 2024-01-01 09:00; 2025-01-01 is 366 days later (leap year): even, alice
    [InlineData("2024-01-01T09:00Z", "alice")]
    [InlineData("2024-01-02T10:00Z", "bob")]
    [InlineData("2025-01-01T10:00Z", "alice")]
    [InlineData("2025-01-02T10:00Z", "bob")]
    public void Daily_WithoutStart_CountsFrom2024_01_01(string at, string person)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", members: [alice, bob] }
            """);

        Assert.Equal(person, At(schedule, at).PersonId);
    }

    [Theory]
    // start 2025-01-06 is a Monday; the last Wednesday on or before it is 2025-01-01, alice's first shift
    [InlineData("2025-01-06T12:00Z", "alice", "2025-01-01T10:00Z", "2025-01-08T10:00Z")]
    [InlineData("2025-01-08T09:59Z", "alice", "2025-01-01T10:00Z", "2025-01-08T10:00Z")]
    [InlineData("2025-01-08T10:00Z", "bob", "2025-01-08T10:00Z", "2025-01-15T10:00Z")]
    [InlineData("2025-01-15T10:00Z", "alice", "2025-01-15T10:00Z", "2025-01-22T10:00Z")]
    public void Weekly_HandsOffOnTheHandoffWeekday(string at, string person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: weekly, handoff: "Wed 10:00", start: 2025-01-06, members: [alice, bob] }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Theory]
    // no weekday means Monday; start Wed 2025-01-08 anchors at Mon 2025-01-06 09:00 (alice)
    [InlineData("2025-01-08T09:00Z", "alice", "2025-01-06T09:00Z", "2025-01-13T09:00Z")]
    [InlineData("2025-01-13T09:00Z", "bob", "2025-01-13T09:00Z", "2025-01-20T09:00Z")]
    [InlineData("2025-01-20T09:00Z", "carol", "2025-01-20T09:00Z", "2025-01-27T09:00Z")]
    [InlineData("2025-01-05T23:00Z", "carol", "2024-12-30T09:00Z", "2025-01-06T09:00Z")]
    public void Weekly_WithoutWeekday_HandsOffOnMonday(string at, string person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: weekly, handoff: "09:00", start: 2025-01-08, members: [alice, bob, carol] }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Theory]
    // 12h shifts from 2025-01-06 20:00: alice 20:00-08:00, bob 08:00-20:00, carol 20:00-08:00, ...
    [InlineData("2025-01-06T20:00Z", "alice", "2025-01-06T20:00Z", "2025-01-07T08:00Z")]
    [InlineData("2025-01-07T09:00Z", "bob", "2025-01-07T08:00Z", "2025-01-07T20:00Z")]
    [InlineData("2025-01-08T07:59Z", "carol", "2025-01-07T20:00Z", "2025-01-08T08:00Z")]
    [InlineData("2025-01-08T08:00Z", "alice", "2025-01-08T08:00Z", "2025-01-08T20:00Z")]
    [InlineData("2025-01-06T19:00Z", "carol", "2025-01-06T08:00Z", "2025-01-06T20:00Z")]
    public void Custom_TwelveHourShifts_CountFromStartAtTheHandoffTime(string at, string person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: custom, shift_length: 12h, handoff: "20:00", start: 2025-01-06, members: [alice, bob, carol] }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Theory]
    [InlineData("2025-01-06T09:00Z", "alice", "2025-01-06T09:00Z", "2025-01-09T09:00Z")]
    [InlineData("2025-01-09T08:59Z", "alice", "2025-01-06T09:00Z", "2025-01-09T09:00Z")]
    [InlineData("2025-01-09T09:00Z", "bob", "2025-01-09T09:00Z", "2025-01-12T09:00Z")]
    [InlineData("2025-01-12T09:00Z", "alice", "2025-01-12T09:00Z", "2025-01-15T09:00Z")]
    public void Custom_ThreeDayShifts(string at, string person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: custom, shift_length: 3d, handoff: "09:00", start: 2025-01-06, members: [alice, bob] }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Theory]
    // 36h does not repeat at a fixed local time: 2025-01-06 09:00, 01-07 21:00, 01-09 09:00, ...
    [InlineData("2025-01-07T20:59Z", "alice", "2025-01-06T09:00Z", "2025-01-07T21:00Z")]
    [InlineData("2025-01-07T21:00Z", "bob", "2025-01-07T21:00Z", "2025-01-09T09:00Z")]
    [InlineData("2025-01-09T09:00Z", "alice", "2025-01-09T09:00Z", "2025-01-10T21:00Z")]
    public void Custom_ThirtySixHourShifts(string at, string person, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: custom, shift_length: 36h, handoff: "09:00", start: 2025-01-06, members: [alice, bob] }
            """);

        AssertShift(At(schedule, at), person, start, end);
    }

    [Fact]
    public void OneMemberLayer_IsOneUnboundedStretch_NotADayAtATime()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice] }
            """);
        IReadOnlyList<OnCallOverride> holiday = [new(1, "primary", "bob", T("2025-02-01T00:00Z"), T("2025-02-15T00:00Z"), "holiday", "alice")];

        // alice's daily handoffs to herself change nothing: no bounds at all
        var always = At(schedule, "2025-01-08T12:00Z");
        Assert.Equal(("alice", DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (always.PersonId, always.Start, always.End));
        Assert.Equal(TimeSpan.MaxValue, always.Length);

        // an override is the only thing that bounds her stretch
        var before = At(schedule, "2025-01-08T12:00Z", holiday);
        Assert.Equal(("alice", DateTimeOffset.MinValue, T("2025-02-01T00:00Z")), (before.PersonId, before.Start, before.End));
        var after = At(schedule, "2025-03-01T12:00Z", holiday);
        Assert.Equal(("alice", T("2025-02-15T00:00Z"), DateTimeOffset.MaxValue), (after.PersonId, after.Start, after.End));
    }

    [Theory]
    [InlineData("1.00:00:00", true)]
    [InlineData("3.00:00:00", true)]
    [InlineData("12:00:00", true)]
    [InlineData("08:00:00", true)]
    [InlineData("01:30:00", true)]
    [InlineData("00:01:00", true)]
    [InlineData("10:00:00", false)]
    [InlineData("07:00:00", false)]
    [InlineData("1.12:00:00", false)]
    public void KeepsWallClock_WholeDaysAndEvenDivisorsOfADay(string length, bool expected)
    {
        Assert.Equal(expected, ShiftGrid.KeepsWallClock(TimeSpan.Parse(length, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(7, 3, 2)]
    [InlineData(-1, 3, -1)]
    [InlineData(-3, 3, -1)]
    [InlineData(-4, 3, -2)]
    [InlineData(0, 3, 0)]
    public void FloorDiv_RoundsTowardNegativeInfinity(long a, long b, long expected)
    {
        Assert.Equal(expected, ShiftGrid.FloorDiv(a, b));
    }
}
