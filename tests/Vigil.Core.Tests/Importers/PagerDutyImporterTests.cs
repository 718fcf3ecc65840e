using System.Globalization;
using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Importers;
using Vigil.Core.Tests.Config;
using static Vigil.Core.Tests.Importers.ImporterOracle;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// <c>vigil import pagerduty</c>'s mapping, checked against an independent evaluator of the
/// PagerDuty definition hour by hour over eight weeks (DST in New York and Berlin included), and
/// against the <c>final_schedule.rendered_schedule_entries</c> PagerDuty returns with the schedule.
/// </summary>
public sealed class PagerDutyImporterTests
{
    private static readonly string _dir = Fixture("pagerduty");

    private static ImportResult Import() => PagerDutyImporter.Map(ImportFiles.Load([_dir]), From);

    private static JsonElement Json(string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, relative))).RootElement;

    private static Dictionary<string, string> Emails() =>
        Json("users.json").GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("id").GetString()!, u => u.GetProperty("email").GetString()!);

    [Theory]
    [InlineData("PNY1234", null)]
    [InlineData("PBE5678", "overrides-PBE5678.json")]
    public void EightWeeks_HourByHour_VigilAgreesWithTheSourceDefinition(string scheduleId, string? overridesFile)
    {
        var result = Import();
        var config = Load(result);
        var emails = Emails();
        var oracle = new PagerDutyOracle(Json($"schedules/{scheduleId}.json").GetProperty("schedule"), overridesFile is null ? null : Json(overridesFile));

        var hours = CompareHourly(config, result.ScheduleIds[scheduleId], t => oracle.At(t) is { } u ? emails[u] : null, From, To);

        Assert.Equal(56 * 24, hours);
        // Not a trivial schedule: several people, and nobody at some hours only where the source says so.
        var people = Enumerable.Range(0, hours).Select(h => oracle.At(From.AddHours(h))).Distinct().Count();
        Assert.True(people >= 4, $"only {people} distinct answers");
    }

    [Theory]
    [InlineData("PNY1234")]
    [InlineData("PBE5678")]
    public void RenderedFinalSchedule_AgreesWithVigil_HourByHour(string scheduleId)
    {
        var result = Import();
        var config = Load(result);
        var emails = Emails();
        var entries = Json($"schedules/{scheduleId}.json").GetProperty("schedule").GetProperty("final_schedule").GetProperty("rendered_schedule_entries")
            .EnumerateArray()
            .Select(e => (Start: Time(e, "start"), End: Time(e, "end"), Email: emails[e.GetProperty("user").GetProperty("id").GetString()!]))
            .ToList();
        Assert.True(entries.Count > 20, "the fixture's final schedule has entries");

        var hours = CompareHourly(config, result.ScheduleIds[scheduleId],
            t => entries.FirstOrDefault(e => e.Start <= t && t < e.End).Email, entries[0].Start, entries[^1].End);
        Assert.True(hours >= 14 * 24 - 1);
    }

    [Fact]
    public void Mapping_IsExact_ForRotationsRestrictionsAndOverrides()
    {
        var config = Load(Import());
        var ny = config.FindSchedule("primary-ny")!;
        Assert.Equal("America/New_York", ny.Timezone);
        // Vigil: last layer wins, so PagerDuty's highest rendering_index comes last.
        Assert.Equal(["Weekly primary", "Evenings", "Weekend days"], ny.Layers.Select(l => l.Name));
        Assert.Equal(RotationKind.Weekly, ny.Layers[0].Rotation);
        Assert.Equal("Mon 09:00", ny.Layers[0].Handoff.ToConfigString());
        Assert.Equal(new DateOnly(2027, 1, 4), ny.Layers[0].Start);
        Assert.Equal(RotationKind.Daily, ny.Layers[1].Rotation);
        var evening = Assert.Single(ny.Layers[1].Restrictions);
        Assert.Equal((new TimeOnly(18, 0), new TimeOnly(23, 0)), (evening.From, evening.To));
        Assert.Equal([DayOfWeek.Saturday, DayOfWeek.Sunday], ny.Layers[2].Restrictions.SelectMany(r => r.Days));
        Assert.Equal(2, ny.Overrides.Count);

        var berlin = config.FindSchedule("support-berlin")!;
        Assert.Equal(RotationKind.Custom, berlin.Layers[0].Rotation);
        Assert.Equal(TimeSpan.FromDays(3), berlin.Layers[0].ShiftLength);
        Assert.Equal(TimeSpan.FromHours(12), berlin.Layers[1].ShiftLength);
        // Mon 08:00 for 4 days 10 hours: Mon-Thu whole days from 08:00, then Fri 08:00-18:00.
        Assert.Equal("mon,tue,wed,thu 08:00-08:00 | fri 08:00-18:00",
            string.Join(" | ", berlin.Layers[1].Restrictions.Select(r => $"{string.Join(',', r.Days.Select(d => d.ToString()[..3].ToLowerInvariant()))} {r.From:HH:mm}-{r.To:HH:mm}")));
        Assert.Single(berlin.Overrides);

        var policy = Assert.Single(config.EscalationPolicies);
        Assert.Equal(["0m schedule:primary-ny", "15m person:bob"], policy.Steps.Select(s => $"{ImportShapes.Duration(s.After)} {string.Join(",", s.Notify.Select(n => $"{n.Kind.ToString().ToLowerInvariant()}:{n.Id}"))}"));
        Assert.Equal(2, policy.Repeat);
        Assert.Equal(TimeSpan.FromMinutes(45), policy.RepeatEvery);
        Assert.Equal("checkout", Assert.Single(config.Services).EscalationPolicy);
        Assert.Equal("+15555550100", config.FindPerson("alice")!.Phone);
    }

    [Fact]
    public void Report_NamesEverythingNotMapped_WithTheReason()
    {
        var result = Import();

        Assert.Contains(result.Unmapped, u => u.Kind == "layer" && u.Source.Contains("PODD999", StringComparison.Ordinal) && u.Reason.Contains("3605 s is not a whole number of minutes", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "schedule" && u.Source.Contains("PODD999", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "escalation target" && u.Reason.Contains("PODD999", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "integration" && u.Source.Contains("Prometheus", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Schedules, s => s.Name == "Odd seconds");
        var markdown = ImportReport.Markdown(result, "pagerduty.yaml");
        Assert.Contains("| layer |", markdown);
        Assert.Contains("3605 s", markdown);
    }

    [Fact]
    public void BadInput_NamesTheFileTheJsonPathAndTheFix()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "schedule.json"), """{ "schedule": { "id": "P1", "name": "x", "time_zone": "America/New_York", "schedule_layers": { "oops": 1 } } }""");
        var ex = Assert.Throws<ImportInputException>(() => PagerDutyImporter.Map(ImportFiles.Load([dir.Path]), From));
        Assert.Equal("$.schedule.schedule_layers", ex.JsonPath);
        Assert.Contains("schedule.json: at $.schedule.schedule_layers: expected an array, found an object; save the object exactly as the vendor's API returns it", ex.Message);

        File.WriteAllText(Path.Combine(dir.Path, "schedule.json"), """{ "schedule": { "id": "P1", "name": "x", "time_zone": "Mars/Olympus", "schedule_layers": [] } }""");
        ex = Assert.Throws<ImportInputException>(() => PagerDutyImporter.Map(ImportFiles.Load([dir.Path]), From));
        Assert.Contains("at $.schedule.time_zone: `Mars/Olympus` is not an IANA time zone", ex.Message);

        File.WriteAllText(Path.Combine(dir.Path, "schedule.json"), "{ \"users\": [ }");
        ex = Assert.Throws<ImportInputException>(() => ImportFiles.Load([dir.Path]));
        Assert.Contains("schedule.json: at line 1, byte 14: this is not valid JSON", ex.Message);

        File.WriteAllText(Path.Combine(dir.Path, "schedule.json"), """{ "users": [ { "id": "P1", "name": "A" } ], "note": 1 }""");
        File.WriteAllText(Path.Combine(dir.Path, "other.json"), """{ "incidents": [] }""");
        ex = Assert.Throws<ImportInputException>(() => PagerDutyImporter.Map(ImportFiles.Load([dir.Path]), From));
        Assert.Contains("other.json: at $: no PagerDuty list in this file", ex.Message);
    }

    private static DateTimeOffset Time(JsonElement e, string name) => DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
