using Vigil.Core.OnCall;
using static Vigil.Core.Tests.OnCall.OnCallFixtures;

namespace Vigil.Core.Tests.OnCall;

/// <summary>
/// Business hours are Mon-Fri 09:00-17:00 on the person's own wall clock. New York springs forward
/// Sun 9 Mar 2025 (EST = UTC-5 before, EDT = UTC-4 after); Berlin on Sun 30 Mar (CET = UTC+1, CEST = UTC+2).
/// </summary>
public sealed class PersonAvailabilityTests
{
    [Theory]
    [InlineData("2025-03-09T03:00Z")]
    [InlineData("2025-03-08T12:00Z")]
    [InlineData("2025-03-10T15:00Z")]
    public void Always_IsAlwaysAvailable(string at)
    {
        Assert.True(PersonAvailability.IsAvailable(Person("heidi"), T(at)));
    }

    [Theory]
    // Fri 7 Mar (EST): 09:00 = 14:00Z, 17:00 = 22:00Z
    [InlineData("2025-03-07T13:59Z", false)]
    [InlineData("2025-03-07T14:00Z", true)]
    [InlineData("2025-03-07T21:59Z", true)]
    [InlineData("2025-03-07T22:00Z", false)]
    // weekend
    [InlineData("2025-03-08T15:00Z", false)]
    [InlineData("2025-03-09T15:00Z", false)]
    // Mon 10 Mar (EDT): 09:00 = 13:00Z, 17:00 = 21:00Z; 13:30Z was 08:30 the Friday before
    [InlineData("2025-03-10T12:59Z", false)]
    [InlineData("2025-03-10T13:00Z", true)]
    [InlineData("2025-03-10T13:30Z", true)]
    [InlineData("2025-03-07T13:30Z", false)]
    [InlineData("2025-03-10T20:59Z", true)]
    [InlineData("2025-03-10T21:00Z", false)]
    public void BusinessHours_NewYork_FollowTheLocalClockAcrossDst(string at, bool expected)
    {
        Assert.Equal(expected, PersonAvailability.IsAvailable(Person("erin"), T(at)));
    }

    [Theory]
    // Fri 28 Mar 09:00 CET = 08:00Z; Mon 31 Mar 09:00 CEST = 07:00Z
    [InlineData("2025-03-28T07:00Z", false)]
    [InlineData("2025-03-28T08:00Z", true)]
    [InlineData("2025-03-31T07:00Z", true)]
    [InlineData("2025-03-31T06:59Z", false)]
    [InlineData("2025-03-31T14:59Z", true)]
    [InlineData("2025-03-31T15:00Z", false)]
    public void BusinessHours_Berlin_FollowTheLocalClockAcrossDst(string at, bool expected)
    {
        Assert.Equal(expected, PersonAvailability.IsAvailable(Person("frank"), T(at)));
    }

    [Theory]
    // Tokyo is UTC+9 without DST: Sun 5 Jan 23:30Z is Mon 6 Jan 08:30 JST, Mon 00:00Z is 09:00 JST,
    // Fri 10 Jan 08:00Z is 17:00 JST, and Fri 10 Jan 23:59Z is already Saturday in Tokyo
    [InlineData("2025-01-05T23:30Z", false)]
    [InlineData("2025-01-06T00:00Z", true)]
    [InlineData("2025-01-10T07:59Z", true)]
    [InlineData("2025-01-10T08:00Z", false)]
    [InlineData("2025-01-10T23:59Z", false)]
    public void BusinessHours_UseThePersonsWeekdayNotUtcs(string at, bool expected)
    {
        Assert.Equal(expected, PersonAvailability.IsAvailable(Person("grace"), T(at)));
    }
}

public sealed class PersonCustomAvailabilityTests
{
    [Fact]
    public void CustomWindows_ReplaceAvailability_InThePersonsZone()
    {
        var result = Vigil.Core.Config.ConfigLoader.LoadFromString("""
            vigil: { name: x }
            people:
              - id: sec
                timezone: America/New_York
                availability: business-hours
                available: [{ days: [sat, sun], from: "10:00", to: "14:00" }]
            """);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        var person = result.Config!.People[0];

        // Saturday 2026-11-28 11:00 in New York (UTC-5) is 16:00Z: inside the custom window.
        Assert.True(Vigil.Core.OnCall.PersonAvailability.IsAvailable(person, new DateTimeOffset(2026, 11, 28, 16, 0, 0, TimeSpan.Zero)));
        // Monday 10:00 New York would be business hours, but the custom windows replace them.
        Assert.False(Vigil.Core.OnCall.PersonAvailability.IsAvailable(person, new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero)));
        // Saturday 15:00 New York is after the window.
        Assert.False(Vigil.Core.OnCall.PersonAvailability.IsAvailable(person, new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero)));
    }
}
