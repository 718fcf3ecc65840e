using Vigil.Core.Config;
using Vigil.Core.Importers;
using Vigil.Core.OnCall;

namespace Vigil.Core.Tests.Importers;

/// <summary>Shared plumbing of the importer tests: fixture paths, the validated fragment, and the hour-by-hour comparison.</summary>
internal static class ImporterOracle
{
    /// <summary>Eight weeks from Mon 22 Feb 2027 00:00Z: spans America/New_York's change on 14 Mar and Europe/Berlin's on 28 Mar.</summary>
    public static readonly DateTimeOffset From = new(2027, 2, 22, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset To = From.AddDays(56);

    public static string Fixture(string vendor) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Importers", vendor);

    /// <summary>The fragment written for <paramref name="result"/>, loaded back through Vigil's config loader and validator.</summary>
    public static VigilConfig Load(ImportResult result)
    {
        var yaml = ImportYaml.Write(result);
        var loaded = ImportYaml.Validate(yaml);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors) + "\n---\n" + yaml);
        Assert.Empty(loaded.Warnings);
        return loaded.Config!;
    }

    /// <summary>
    /// Compares Vigil's answer (<see cref="ScheduleResolver.OnCallAt"/>, the function behind <c>vigil oncall</c>)
    /// with <paramref name="expected"/> (a person's e-mail, or null) at every whole hour in [from, to).
    /// Returns the number of hours compared; fails listing the first disagreements.
    /// </summary>
    public static int CompareHourly(VigilConfig config, string scheduleId, Func<DateTimeOffset, string?> expected, DateTimeOffset from, DateTimeOffset to)
    {
        var schedule = config.FindSchedule(scheduleId) ?? throw new InvalidOperationException($"no schedule {scheduleId}");
        var wrong = new List<string>();
        var hours = 0;
        for (var t = from; t < to; t = t.AddHours(1), hours++)
        {
            var vigil = ScheduleResolver.OnCallAt(schedule, [], t).PersonId is { } id ? config.FindPerson(id)!.Email : null;
            var want = expected(t);
            if (!string.Equals(vigil, want, StringComparison.Ordinal))
            {
                wrong.Add($"{t:O} ({TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById(schedule.Timezone)):yyyy-MM-dd HH:mm ddd} local): source says {want ?? "nobody"}, Vigil says {vigil ?? "nobody"}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {hours} hours disagree in {scheduleId}:\n" + string.Join("\n", wrong.Take(15)));
        return hours;
    }
}
