using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.OnCall;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.OnCall;

/// <summary>Loads schedules through the real config loader, and short-hands for instants.</summary>
internal static class OnCallFixtures
{
    public static readonly IReadOnlyList<OnCallOverride> NoOverrides = [];

    private const string People = """
        vigil: { name: test }
        people:
          - { id: alice }
          - { id: bob }
          - { id: carol }
          - { id: dave }
          - { id: erin, timezone: America/New_York, availability: business-hours }
          - { id: frank, timezone: Europe/Berlin, availability: business-hours }
          - { id: grace, timezone: Asia/Tokyo, availability: business-hours }
          - { id: heidi, timezone: America/New_York }

        """;

    /// <summary>Loads a config with the people above plus <paramref name="schedulesYaml"/> (a <c>schedules:</c> block).</summary>
    public static VigilConfig Load(string schedulesYaml)
    {
        var result = ConfigLoader.LoadFromString(People + schedulesYaml, "vigil.yaml", TestEnvironment.Lookup);
        Assert.True(result.Success, "expected no errors, got:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>The first schedule of <paramref name="schedulesYaml"/>.</summary>
    public static ScheduleConfig Schedule(string schedulesYaml) => Load(schedulesYaml).Schedules[0];

    /// <summary>A person of the fixture by id.</summary>
    public static PersonConfig Person(string id) => Load("").People.Single(p => p.Id == id);

    /// <summary>Parses an ISO 8601 instant that carries its offset (like <c>2025-03-30T01:00Z</c>).</summary>
    public static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static OnCallShift At(ScheduleConfig schedule, string iso, IReadOnlyList<OnCallOverride>? overrides = null) =>
        ScheduleResolver.OnCallAt(schedule, overrides ?? NoOverrides, T(iso));

    /// <summary>Asserts the person and the exact shift bounds (compared as instants).</summary>
    public static void AssertShift(OnCallShift shift, string? person, string start, string end)
    {
        Assert.Equal(person, shift.PersonId);
        Assert.Equal(T(start), shift.Start);
        Assert.Equal(T(end), shift.End);
    }
}
