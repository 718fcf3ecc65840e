using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>Later layers beat earlier ones; overrides beat layers; the newest override wins.</summary>
public sealed class PrecedenceTests
{
    [Theory]
    // layer 0: weekly alice/bob from Mon 01-06 09:00, all the time
    // layer 1: daily carol/dave from Mon 01-06 09:00, Mon-Fri 09:00-17:00 only
    [InlineData("2025-01-06T10:00Z", "carol", 1, "2025-01-06T09:00Z", "2025-01-06T17:00Z")]
    [InlineData("2025-01-06T18:00Z", "alice", 0, "2025-01-06T17:00Z", "2025-01-07T09:00Z")]
    [InlineData("2025-01-07T10:00Z", "dave", 1, "2025-01-07T09:00Z", "2025-01-07T17:00Z")]
    [InlineData("2025-01-11T12:00Z", "alice", 0, "2025-01-10T17:00Z", "2025-01-13T09:00Z")]
    [InlineData("2025-01-13T20:00Z", "bob", 0, "2025-01-13T17:00Z", "2025-01-14T09:00Z")]
    public void LastLayerWithSomeoneOnCall_Wins(string at, string person, int layer, string start, string end)
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { name: base, rotation: weekly, handoff: "Mon 09:00", start: 2025-01-06, members: [alice, bob] }
                  - name: office
                    rotation: daily
                    handoff: "09:00"
                    start: 2025-01-06
                    members: [carol, dave]
                    restrictions: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
            """);

        var shift = At(schedule, at);

        AssertShift(shift, person, start, end);
        Assert.Equal(OnCallSource.Layer(layer, layer == 0 ? "base" : "office"), shift.Source);
    }

    [Fact]
    public void EarlierLayer_NeverShowsThroughALaterLayerThatIsAlwaysOnCall()
    {
        // the same two layers in the other order: the unrestricted layer is last and always wins
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - rotation: daily
                    handoff: "09:00"
                    start: 2025-01-06
                    members: [carol, dave]
                    restrictions: [{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }]
                  - { rotation: weekly, handoff: "Mon 09:00", start: 2025-01-06, members: [alice, bob] }
            """);

        var shift = At(schedule, "2025-01-06T10:00Z");

        AssertShift(shift, "alice", "2025-01-06T09:00Z", "2025-01-13T09:00Z");
        Assert.Equal(OnCallSource.Layer(1, null), shift.Source);
    }

    private static readonly string _withOverrides = """
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice, bob] }
            overrides:
              - { person: carol, start: "2025-01-06T12:00:00Z", end: "2025-01-06T18:00:00Z", reason: dentist }
              - { person: dave, start: "2025-01-06T14:00:00Z", end: "2025-01-06T15:00:00Z" }
        """;

    private static readonly IReadOnlyList<OnCallOverride> _adHoc =
    [
        new(3, "primary", "erin", T("2025-01-06T13:00Z"), T("2025-01-06T16:00Z"), "swap", "bob"),
        new(9, "primary", "heidi", T("2025-01-06T15:30Z"), T("2025-01-06T17:00Z"), null, "alice"),
        new(50, "other", "frank", T("2025-01-06T10:00Z"), T("2025-01-06T20:00Z"), "another schedule", "alice"),
        new(60, "primary", "frank", T("2025-01-06T11:00Z"), T("2025-01-06T11:00Z"), "empty", "alice"),
    ];

    [Theory]
    // timeline on Mon 01-06 (alice's daily shift 09:00 -> Tue 09:00):
    // config carol 12-18, config dave 14-15, ad-hoc #3 erin 13-16, ad-hoc #9 heidi 15:30-17,
    // #50 is another schedule's, #60 is empty (to == from)
    [InlineData("2025-01-06T10:00Z", "alice", "2025-01-06T09:00Z", "2025-01-06T12:00Z")]
    [InlineData("2025-01-06T11:00Z", "alice", "2025-01-06T09:00Z", "2025-01-06T12:00Z")]
    [InlineData("2025-01-06T12:30Z", "carol", "2025-01-06T12:00Z", "2025-01-06T13:00Z")]
    // ad-hoc beats config: dave (config, 14-15) never shows while erin (#3) is on
    [InlineData("2025-01-06T13:30Z", "erin", "2025-01-06T13:00Z", "2025-01-06T15:30Z")]
    [InlineData("2025-01-06T14:30Z", "erin", "2025-01-06T13:00Z", "2025-01-06T15:30Z")]
    // the higher id wins while both ad-hoc overrides are on
    [InlineData("2025-01-06T15:45Z", "heidi", "2025-01-06T15:30Z", "2025-01-06T17:00Z")]
    [InlineData("2025-01-06T17:00Z", "carol", "2025-01-06T17:00Z", "2025-01-06T18:00Z")]
    [InlineData("2025-01-06T18:00Z", "alice", "2025-01-06T18:00Z", "2025-01-07T09:00Z")]
    public void Overrides_BeatLayers_AndTheNewestWins(string at, string person, string start, string end)
    {
        var schedule = Schedule(_withOverrides);

        AssertShift(At(schedule, at, _adHoc), person, start, end);
    }

    [Fact]
    public void Overrides_ReportTheirSource()
    {
        var schedule = Schedule(_withOverrides);

        Assert.Equal(OnCallSource.Layer(0, null), At(schedule, "2025-01-06T10:00Z", _adHoc).Source);
        Assert.Equal(OnCallSource.ConfigOverride(0, -2), At(schedule, "2025-01-06T12:30Z", _adHoc).Source);
        Assert.Equal(OnCallSource.Override(3), At(schedule, "2025-01-06T14:30Z", _adHoc).Source);
        Assert.Equal(OnCallSource.Override(9), At(schedule, "2025-01-06T16:00Z", _adHoc).Source);
        Assert.Equal("config override 0", At(schedule, "2025-01-06T12:30Z", _adHoc).Source!.ToString());
        Assert.Equal("override 9", At(schedule, "2025-01-06T16:00Z", _adHoc).Source!.ToString());
    }

    [Fact]
    public void ConfigOverrides_LaterEntryWins_WithoutAdHocOnes()
    {
        var schedule = Schedule(_withOverrides);

        var shift = At(schedule, "2025-01-06T14:30Z");

        AssertShift(shift, "dave", "2025-01-06T14:00Z", "2025-01-06T15:00Z");
        Assert.Equal(OnCallSource.ConfigOverride(1, -1), shift.Source);
        AssertShift(At(schedule, "2025-01-06T15:00Z"), "carol", "2025-01-06T15:00Z", "2025-01-06T18:00Z");
    }

    [Fact]
    public void AdHocOverride_WinsByIdNotByListOrder()
    {
        var schedule = Schedule(_withOverrides);
        IReadOnlyList<OnCallOverride> reversed = [_adHoc[1], _adHoc[0]];

        Assert.Equal("heidi", At(schedule, "2025-01-06T15:45Z", reversed).PersonId);
    }

    [Fact]
    public void ConfigOverrides_ConvertToNegativeIdsInListOrder()
    {
        var schedule = Schedule(_withOverrides);

        var converted = ScheduleResolver.ConfigOverrides(schedule);

        Assert.Equal(
            [
                new OnCallOverride(-2, "primary", "carol", T("2025-01-06T12:00Z"), T("2025-01-06T18:00Z"), "dentist", "config"),
                new OnCallOverride(-1, "primary", "dave", T("2025-01-06T14:00Z"), T("2025-01-06T15:00Z"), null, "config"),
            ],
            converted);
    }

    [Fact]
    public void Override_EndIsExclusive()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "09:00", start: 2025-01-06, members: [alice] }
            """);
        IReadOnlyList<OnCallOverride> one = [new(1, "primary", "bob", T("2025-01-06T12:00Z"), T("2025-01-06T13:00Z"), null, "alice")];

        AssertShift(At(schedule, "2025-01-06T12:00Z", one), "bob", "2025-01-06T12:00Z", "2025-01-06T13:00Z");
        Assert.Equal("alice", At(schedule, "2025-01-06T13:00Z", one).PersonId);
        Assert.Equal(T("2025-01-06T12:00Z"), At(schedule, "2025-01-06T11:59Z", one).End);
    }
}
