using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>Upcoming shifts (<c>vigil oncall --next</c>). 2025-01-06 is a Monday.</summary>
public sealed class ShiftsTests
{
    private static IReadOnlyList<(string? Person, DateTimeOffset Start, DateTimeOffset End)> Flat(IReadOnlyList<OnCallShift> shifts) =>
        shifts.Select(s => (s.PersonId, s.Start, s.End)).ToList();

    [Fact]
    public void OverAWeek_ListsEveryHandoffAndTheOverride()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice, bob] }
            """);
        IReadOnlyList<OnCallOverride> overrides = [new(1, "primary", "carol", T("2025-01-08T12:00Z"), T("2025-01-08T15:00Z"), "swap", "alice")];

        var shifts = ScheduleResolver.Shifts(schedule, overrides, T("2025-01-06T00:00Z"), T("2025-01-13T00:00Z"));

        // clipped to [from, to); bob's shift k = -1 started Sun 09:00 but is listed from Mon 00:00
        Assert.Equal(
            [
                ("bob", T("2025-01-06T00:00Z"), T("2025-01-06T09:00Z")),
                ("alice", T("2025-01-06T09:00Z"), T("2025-01-07T09:00Z")),
                ("bob", T("2025-01-07T09:00Z"), T("2025-01-08T09:00Z")),
                ("alice", T("2025-01-08T09:00Z"), T("2025-01-08T12:00Z")),
                ("carol", T("2025-01-08T12:00Z"), T("2025-01-08T15:00Z")),
                ("alice", T("2025-01-08T15:00Z"), T("2025-01-09T09:00Z")),
                ("bob", T("2025-01-09T09:00Z"), T("2025-01-10T09:00Z")),
                ("alice", T("2025-01-10T09:00Z"), T("2025-01-11T09:00Z")),
                ("bob", T("2025-01-11T09:00Z"), T("2025-01-12T09:00Z")),
                ("alice", T("2025-01-12T09:00Z"), T("2025-01-13T00:00Z")),
            ],
            Flat(shifts));
        Assert.Equal(OnCallSource.Override(1), shifts[4].Source);
        Assert.All(shifts.Where(s => s.PersonId != "carol"), s => Assert.Equal(OnCallSource.Layer(0, null), s.Source));
    }

    [Fact]
    public void OfficeLayerOverANightLayer_AlternatesAndTheWeekendIsOneEntry()
    {
        // alice's one-member layer hands off (to herself) every midnight; bob covers office hours on top
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { name: nights, rotation: daily, handoff: "00:00", start: 2025-01-06, members: [alice] }
                  - name: office
                    rotation: daily
                    handoff: "09:00"
                    start: 2025-01-06
                    members: [bob]
                    restrictions: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
            """);

        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-01-06T00:00Z"), T("2025-01-13T00:00Z"));

        var expected = new List<(string?, DateTimeOffset, DateTimeOffset)> { ("alice", T("2025-01-06T00:00Z"), T("2025-01-06T09:00Z")) };
        for (var day = 0; day < 5; day++)
        {
            var nine = T("2025-01-06T09:00Z").AddDays(day);
            expected.Add(("bob", nine, nine.AddHours(8)));
            // the 17:00 -> 09:00 stretch crosses alice's midnight handoff to herself: one entry
            expected.Add(("alice", nine.AddHours(8), day < 4 ? nine.AddDays(1) : T("2025-01-13T00:00Z")));
        }

        Assert.Equal(expected, Flat(shifts));
        Assert.Equal(11, shifts.Count);
        Assert.Equal(TimeSpan.FromHours(55), shifts[^1].Length);
    }

    [Fact]
    public void NobodyOnCall_IsListedToo_SoTheEntriesTileTheRange()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: weekly
                    members: [alice]
                    restrictions: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
            """);

        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-01-10T00:00Z"), T("2025-01-13T12:00Z"));

        Assert.Equal(
            [
                (null, T("2025-01-10T00:00Z"), T("2025-01-10T09:00Z")),
                ("alice", T("2025-01-10T09:00Z"), T("2025-01-10T17:00Z")),
                (null, T("2025-01-10T17:00Z"), T("2025-01-13T09:00Z")),
                ("alice", T("2025-01-13T09:00Z"), T("2025-01-13T12:00Z")),
            ],
            Flat(shifts));
        Assert.Null(shifts[0].Source);
    }

    [Fact]
    public void AcrossDst_EntriesKeepTheLocalHandoffTime()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: America/New_York
                layers:
                  - { rotation: daily, handoff: "09:00", start: 2025-03-08, members: [alice, bob] }
            """);

        // Sat 8 Mar 09:00 EST = 14:00Z, Sun 9 Mar 09:00 EDT = 13:00Z, Mon 10 Mar 09:00 EDT = 13:00Z
        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-03-08T14:00Z"), T("2025-03-10T13:00Z"));

        Assert.Equal(
            [
                ("alice", T("2025-03-08T14:00Z"), T("2025-03-09T13:00Z")),
                ("bob", T("2025-03-09T13:00Z"), T("2025-03-10T13:00Z")),
            ],
            Flat(shifts));
    }

    [Fact]
    public void EmptyOrBackwardsRange_HasNoShifts()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, members: [alice] }
            """);

        Assert.Empty(ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-01-06T00:00Z"), T("2025-01-06T00:00Z")));
        Assert.Empty(ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-01-06T00:00Z"), T("2025-01-05T00:00Z")));
    }

    [Fact]
    public void PathologicalRotation_IsCappedAtMaxShifts()
    {
        // one-minute shifts alternating alice/bob over a year would be 525,600 entries
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: custom, shift_length: 1m, handoff: "00:00", start: 2025-01-01, members: [alice, bob] }
            """);
        var from = T("2025-01-01T00:00Z");

        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, from, from.AddYears(1));

        Assert.Equal(ScheduleResolver.MaxShifts, shifts.Count);
        Assert.Equal(from.AddMinutes(ScheduleResolver.MaxShifts), shifts[^1].End);
        Assert.Equal("bob", shifts[^1].PersonId);
    }

    [Fact]
    public void EdgesOfAnOverrideHiddenUnderANewerOne_DoNotSplitTheEntry()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice, bob] }
            """);
        IReadOnlyList<OnCallOverride> overrides =
        [
            new(5, "primary", "dave", T("2025-01-06T12:00Z"), T("2025-01-06T13:00Z"), null, "alice"),
            new(9, "primary", "erin", T("2025-01-06T11:00Z"), T("2025-01-06T14:00Z"), null, "alice"),
        ];

        var shifts = ScheduleResolver.Shifts(schedule, overrides, T("2025-01-06T10:00Z"), T("2025-01-06T16:00Z"));

        // dave's 12:00 and 13:00 edges fall inside erin's newer override: erin is one entry, 11:00-14:00
        Assert.Equal(
            [
                ("alice", T("2025-01-06T10:00Z"), T("2025-01-06T11:00Z")),
                ("erin", T("2025-01-06T11:00Z"), T("2025-01-06T14:00Z")),
                ("alice", T("2025-01-06T14:00Z"), T("2025-01-06T16:00Z")),
            ],
            Flat(shifts));
    }

    [Fact]
    public void ShiftsEitherSideOfOneSwallowedByTheGap_Merge()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: America/New_York
                layers:
                  - { rotation: custom, shift_length: 1h, handoff: "00:00", start: 2025-03-09, members: [alice, bob] }
            """);

        // hourly from Sun 9 Mar 00:00 EST = 05:00Z: 00:00 alice, 01:00 bob, 02:00 alice, 03:00 bob, 04:00 alice;
        // 02:00 and 03:00 are both 03:00 EDT = 07:00Z, so alice's 02:00 shift is empty and bob's two shifts touch
        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, T("2025-03-09T05:00Z"), T("2025-03-09T09:00Z"));

        Assert.Equal(
            [
                ("alice", T("2025-03-09T05:00Z"), T("2025-03-09T06:00Z")),
                ("bob", T("2025-03-09T06:00Z"), T("2025-03-09T08:00Z")),
                ("alice", T("2025-03-09T08:00Z"), T("2025-03-09T09:00Z")),
            ],
            Flat(shifts));
        AssertShift(At(schedule, "2025-03-09T06:30Z"), "bob", "2025-03-09T06:00Z", "2025-03-09T08:00Z");
        AssertShift(At(schedule, "2025-03-09T07:30Z"), "bob", "2025-03-09T06:00Z", "2025-03-09T08:00Z");
    }

    [Fact]
    public void PathologicalRotation_OfOnePerson_StopsAfterMaxSteps()
    {
        // validation rejects listing someone twice, but a schedule built in code can: every minute
        // alice hands off to alice, one entry, but only MaxSteps boundaries are examined
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: custom, shift_length: 1m, handoff: "00:00", start: 2025-01-01, members: [alice] }
            """);
        schedule.Layers[0].Members = ["alice", "alice"];
        var from = T("2025-01-01T00:00Z");

        var shifts = ScheduleResolver.Shifts(schedule, NoOverrides, from, from.AddYears(1));

        var only = Assert.Single(shifts);
        Assert.Equal(("alice", from, from.AddMinutes(ScheduleResolver.MaxSteps)), (only.PersonId, only.Start, only.End));
    }
}
