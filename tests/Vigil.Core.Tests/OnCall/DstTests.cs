using Vigil.Core.Config;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>
/// Handoffs across DST changes. 2025 transitions: Europe/Berlin springs forward Sun 30 Mar at
/// 02:00 CET (01:00Z) to 03:00 CEST and falls back Sun 26 Oct at 03:00 CEST (01:00Z) to 02:00 CET;
/// America/New_York springs forward Sun 9 Mar at 02:00 EST (07:00Z) to 03:00 EDT and falls back
/// Sun 2 Nov at 02:00 EDT (06:00Z) to 01:00 EST. CET = UTC+1, CEST = UTC+2, EST = UTC-5, EDT = UTC-4.
/// </summary>
public sealed class DstTests
{
    private static ScheduleConfig Daily(string zone, string handoff, string start) => Schedule($$"""
        schedules:
          - id: primary
            timezone: {{zone}}
            layers:
              - { rotation: daily, handoff: "{{handoff}}", start: {{start}}, members: [alice, bob] }
        """);

    // ---- daily 09:00 handoff: the shift containing the change is 23h or 25h, the next is at 09:00 local again ----

    [Fact]
    public void Berlin_Daily0900_SpringForward_ShiftIs23Hours()
    {
        // from 2025-03-01: 29 Mar is k = 28 (alice), 30 Mar k = 29 (bob)
        var schedule = Daily("Europe/Berlin", "09:00", "2025-03-01");

        // Sat 29 Mar 09:00 CET = 08:00Z -> Sun 30 Mar 09:00 CEST = 07:00Z
        var before = At(schedule, "2025-03-30T00:30Z");
        AssertShift(before, "alice", "2025-03-29T08:00Z", "2025-03-30T07:00Z");
        Assert.Equal(TimeSpan.FromHours(23), before.Length);
        Assert.Equal("alice", At(schedule, "2025-03-30T06:59Z").PersonId);

        // Sun 30 Mar 09:00 CEST = 07:00Z -> Mon 31 Mar 09:00 CEST = 07:00Z
        var after = At(schedule, "2025-03-30T07:00Z");
        AssertShift(after, "bob", "2025-03-30T07:00Z", "2025-03-31T07:00Z");
        Assert.Equal(TimeSpan.FromHours(24), after.Length);
    }

    [Fact]
    public void Berlin_Daily0900_FallBack_ShiftIs25Hours()
    {
        // from 2025-10-01: 25 Oct is k = 24 (alice), 26 Oct k = 25 (bob)
        var schedule = Daily("Europe/Berlin", "09:00", "2025-10-01");

        // Sat 25 Oct 09:00 CEST = 07:00Z -> Sun 26 Oct 09:00 CET = 08:00Z
        var before = At(schedule, "2025-10-26T01:30Z");
        AssertShift(before, "alice", "2025-10-25T07:00Z", "2025-10-26T08:00Z");
        Assert.Equal(TimeSpan.FromHours(25), before.Length);

        // Sun 26 Oct 09:00 CET = 08:00Z -> Mon 27 Oct 09:00 CET = 08:00Z
        AssertShift(At(schedule, "2025-10-26T08:00Z"), "bob", "2025-10-26T08:00Z", "2025-10-27T08:00Z");
    }

    [Fact]
    public void NewYork_Daily0900_SpringForward_ShiftIs23Hours()
    {
        // from 2025-03-01: 8 Mar is k = 7 (bob), 9 Mar k = 8 (alice)
        var schedule = Daily("America/New_York", "09:00", "2025-03-01");

        // Sat 8 Mar 09:00 EST = 14:00Z -> Sun 9 Mar 09:00 EDT = 13:00Z
        var before = At(schedule, "2025-03-09T08:00Z");
        AssertShift(before, "bob", "2025-03-08T14:00Z", "2025-03-09T13:00Z");
        Assert.Equal(TimeSpan.FromHours(23), before.Length);

        // Sun 9 Mar 09:00 EDT = 13:00Z -> Mon 10 Mar 09:00 EDT = 13:00Z
        AssertShift(At(schedule, "2025-03-09T13:00Z"), "alice", "2025-03-09T13:00Z", "2025-03-10T13:00Z");
    }

    [Fact]
    public void NewYork_Daily0900_FallBack_ShiftIs25Hours()
    {
        // from 2025-11-01: 1 Nov is k = 0 (alice), 2 Nov k = 1 (bob)
        var schedule = Daily("America/New_York", "09:00", "2025-11-01");

        // Sat 1 Nov 09:00 EDT = 13:00Z -> Sun 2 Nov 09:00 EST = 14:00Z
        var before = At(schedule, "2025-11-02T06:30Z");
        AssertShift(before, "alice", "2025-11-01T13:00Z", "2025-11-02T14:00Z");
        Assert.Equal(TimeSpan.FromHours(25), before.Length);

        // Sun 2 Nov 09:00 EST = 14:00Z -> Mon 3 Nov 09:00 EST = 14:00Z
        AssertShift(At(schedule, "2025-11-02T14:00Z"), "bob", "2025-11-02T14:00Z", "2025-11-03T14:00Z");
    }

    // ---- a handoff time inside the skipped hour happens when the gap ends ----

    [Fact]
    public void Berlin_Handoff0230_OnSpringForwardDay_HappensAt0300Cest()
    {
        // from 2025-03-01: 29 Mar is k = 28 (alice), 30 Mar k = 29 (bob)
        var schedule = Daily("Europe/Berlin", "02:30", "2025-03-01");

        // Sat 29 Mar 02:30 CET = 01:30Z -> Sun 30 Mar "02:30" does not exist: 03:00 CEST = 01:00Z (23.5h)
        var before = At(schedule, "2025-03-30T00:59Z");
        AssertShift(before, "alice", "2025-03-29T01:30Z", "2025-03-30T01:00Z");
        Assert.Equal(TimeSpan.FromHours(23.5), before.Length);

        // Sun 30 Mar 03:00 CEST = 01:00Z -> Mon 31 Mar 02:30 CEST = 00:30Z (23.5h), back to 02:30 local
        AssertShift(At(schedule, "2025-03-30T01:00Z"), "bob", "2025-03-30T01:00Z", "2025-03-31T00:30Z");
    }

    [Fact]
    public void NewYork_Handoff0230_OnSpringForwardDay_HappensAt0300Edt()
    {
        // from 2025-03-01: 8 Mar is k = 7 (bob), 9 Mar k = 8 (alice)
        var schedule = Daily("America/New_York", "02:30", "2025-03-01");

        // Sat 8 Mar 02:30 EST = 07:30Z -> Sun 9 Mar "02:30" does not exist: 03:00 EDT = 07:00Z
        AssertShift(At(schedule, "2025-03-09T06:59Z"), "bob", "2025-03-08T07:30Z", "2025-03-09T07:00Z");

        // Sun 9 Mar 03:00 EDT = 07:00Z -> Mon 10 Mar 02:30 EDT = 06:30Z
        AssertShift(At(schedule, "2025-03-09T07:00Z"), "alice", "2025-03-09T07:00Z", "2025-03-10T06:30Z");
    }

    // ---- a handoff time inside the doubled hour happens at its first occurrence ----

    [Fact]
    public void Berlin_Handoff0230_OnFallBackDay_HappensAtTheFirst0230()
    {
        // from 2025-10-01: 25 Oct is k = 24 (alice), 26 Oct k = 25 (bob)
        var schedule = Daily("Europe/Berlin", "02:30", "2025-10-01");

        // Sat 25 Oct 02:30 CEST = 00:30Z -> Sun 26 Oct first 02:30 (CEST) = 00:30Z: 24h
        var before = At(schedule, "2025-10-26T00:15Z");
        AssertShift(before, "alice", "2025-10-25T00:30Z", "2025-10-26T00:30Z");
        Assert.Equal(TimeSpan.FromHours(24), before.Length);

        // 01:15Z is 02:15 CET on the second pass: the wall clock reads before 02:30, but the handoff already happened
        var second = At(schedule, "2025-10-26T01:15Z");
        AssertShift(second, "bob", "2025-10-26T00:30Z", "2025-10-27T01:30Z");

        // to Mon 27 Oct 02:30 CET = 01:30Z: 25h
        Assert.Equal(TimeSpan.FromHours(25), second.Length);
    }

    [Fact]
    public void NewYork_Handoff0130_OnFallBackDay_HappensAtTheFirst0130()
    {
        // from 2025-11-01: 1 Nov is k = 0 (alice), 2 Nov k = 1 (bob)
        var schedule = Daily("America/New_York", "01:30", "2025-11-01");

        // Sat 1 Nov 01:30 EDT = 05:30Z -> Sun 2 Nov first 01:30 (EDT) = 05:30Z
        AssertShift(At(schedule, "2025-11-02T05:15Z"), "alice", "2025-11-01T05:30Z", "2025-11-02T05:30Z");

        // 06:15Z is 01:15 EST on the second pass: already bob's, until Mon 3 Nov 01:30 EST = 06:30Z (25h)
        var second = At(schedule, "2025-11-02T06:15Z");
        AssertShift(second, "bob", "2025-11-02T05:30Z", "2025-11-03T06:30Z");
        Assert.Equal(TimeSpan.FromHours(25), second.Length);
    }

    // ---- weekly rotations spanning a change ----

    [Fact]
    public void Berlin_Weekly_SpanningSpringForward_Is167Hours()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: Europe/Berlin
                layers:
                  - { rotation: weekly, handoff: "Mon 09:00", start: 2025-03-24, members: [alice, bob] }
            """);

        // Mon 24 Mar 09:00 CET = 08:00Z -> Mon 31 Mar 09:00 CEST = 07:00Z
        var shift = At(schedule, "2025-03-30T12:00Z");
        AssertShift(shift, "alice", "2025-03-24T08:00Z", "2025-03-31T07:00Z");
        Assert.Equal(TimeSpan.FromHours(167), shift.Length);

        // Mon 31 Mar 09:00 CEST = 07:00Z -> Mon 7 Apr 09:00 CEST = 07:00Z
        AssertShift(At(schedule, "2025-03-31T07:00Z"), "bob", "2025-03-31T07:00Z", "2025-04-07T07:00Z");
    }

    [Fact]
    public void NewYork_Weekly_SpanningFallBack_Is169Hours()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: America/New_York
                layers:
                  - { rotation: weekly, handoff: "Mon 09:00", start: 2025-10-27, members: [alice, bob] }
            """);

        // Mon 27 Oct 09:00 EDT = 13:00Z -> Mon 3 Nov 09:00 EST = 14:00Z
        var shift = At(schedule, "2025-11-02T06:30Z");
        AssertShift(shift, "alice", "2025-10-27T13:00Z", "2025-11-03T14:00Z");
        Assert.Equal(TimeSpan.FromHours(169), shift.Length);
        Assert.Equal("bob", At(schedule, "2025-11-03T14:00Z").PersonId);
        Assert.Equal("alice", At(schedule, "2025-11-03T13:59Z").PersonId);
    }

    // ---- custom rotations: day divisors keep the wall clock, other lengths are elapsed time ----

    [Fact]
    public void Berlin_Custom12h_KeepsTheWallClock_OneShiftIs11Hours()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: Europe/Berlin
                layers:
                  - { rotation: custom, shift_length: 12h, handoff: "08:00", start: 2025-03-01, members: [alice, bob] }
            """);

        // handoffs at 08:00 and 20:00 local; Sat 29 Mar 20:00 is k = 2 * 28 + 1 = 57 (bob)
        // Sat 29 Mar 20:00 CET = 19:00Z -> Sun 30 Mar 08:00 CEST = 06:00Z
        var shift = At(schedule, "2025-03-30T03:00Z");
        AssertShift(shift, "bob", "2025-03-29T19:00Z", "2025-03-30T06:00Z");
        Assert.Equal(TimeSpan.FromHours(11), shift.Length);

        // Sun 30 Mar 08:00 CEST = 06:00Z -> 20:00 CEST = 18:00Z
        AssertShift(At(schedule, "2025-03-30T06:00Z"), "alice", "2025-03-30T06:00Z", "2025-03-30T18:00Z");
    }

    [Fact]
    public void Berlin_Custom10h_IsElapsedTime_AndDriftsOnTheWallClock()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: Europe/Berlin
                layers:
                  - { rotation: custom, shift_length: 10h, handoff: "08:00", start: 2025-03-29, members: [alice, bob] }
            """);

        // anchor Sat 29 Mar 08:00 CET = 07:00Z; boundaries every 10h: 07:00Z, 17:00Z, 30 Mar 03:00Z, 13:00Z
        // k = 2 (alice) runs 03:00Z-13:00Z, which is 05:00-15:00 CEST: no longer 04:00/14:00 local
        var shift = At(schedule, "2025-03-30T05:00Z");
        AssertShift(shift, "alice", "2025-03-30T03:00Z", "2025-03-30T13:00Z");
        Assert.Equal(TimeSpan.FromHours(10), shift.Length);
        AssertShift(At(schedule, "2025-03-30T00:00Z"), "bob", "2025-03-29T17:00Z", "2025-03-30T03:00Z");
    }

    [Fact]
    public void NewYork_Custom1h_ShiftSwallowedByTheGapIsSkipped()
    {
        var schedule = Schedule("""
            schedules:
              - id: primary
                timezone: America/New_York
                layers:
                  - { rotation: custom, shift_length: 1h, handoff: "00:00", start: 2025-03-09, members: [alice, bob, carol] }
            """);

        // hourly wall-clock handoffs from Sun 9 Mar 00:00 EST (05:00Z): 00:00 alice, 01:00 bob, 02:00 carol, 03:00 alice
        // 02:00 and 03:00 both resolve to 03:00 EDT = 07:00Z, so carol's 02:00 shift is empty
        AssertShift(At(schedule, "2025-03-09T06:30Z"), "bob", "2025-03-09T06:00Z", "2025-03-09T07:00Z");
        AssertShift(At(schedule, "2025-03-09T07:00Z"), "alice", "2025-03-09T07:00Z", "2025-03-09T08:00Z");
    }
}
