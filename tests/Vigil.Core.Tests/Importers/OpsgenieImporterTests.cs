using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Importers;
using Vigil.Core.Tests.Config;
using static Vigil.Core.Tests.Importers.ImporterOracle;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// <c>vigil import opsgenie</c>'s mapping, checked hour by hour over eight weeks (DST in Berlin and
/// New York included) against an independent evaluator of the Opsgenie definition.
/// </summary>
public sealed class OpsgenieImporterTests
{
    private const string Platform = "d875e654-9b4e-4219-a803-0c26a5e1a001";
    private const string Storefront = "d875e654-9b4e-4219-a803-0c26a5e1a002";
    private static readonly string _dir = Fixture("opsgenie");

    // The Storefront override that applies to the "Day" rotation only (not imported; in the report).
    private static readonly DateTimeOffset _swapFrom = DateTimeOffset.Parse("2027-03-18T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset _swapTo = _swapFrom.AddHours(4);

    private static ImportResult Import() => OpsgenieImporter.Map(ImportFiles.Load([_dir]), From);

    private static JsonElement Json(string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, relative))).RootElement;

    private static OpsgenieOracle Oracle(string scheduleId) => new(
        Json("schedules.json").GetProperty("data").EnumerateArray().Single(s => s.GetProperty("id").GetString() == scheduleId),
        Json($"overrides-{scheduleId}.json"));

    private static Dictionary<string, string> Emails() =>
        Json("users.json").GetProperty("data").EnumerateArray().ToDictionary(u => u.GetProperty("id").GetString()!, u => u.GetProperty("username").GetString()!);

    [Theory]
    [InlineData(Platform)]
    [InlineData(Storefront)]
    public void EightWeeks_HourByHour_VigilAgreesWithTheSourceDefinition(string scheduleId)
    {
        var result = Import();
        var config = Load(result);
        var emails = Emails();
        var oracle = Oracle(scheduleId);
        var answers = new HashSet<string?>();

        var hours = CompareHourly(config, result.ScheduleIds[scheduleId], t =>
        {
            var set = oracle.At(t);
            Assert.True(set.Count <= 1, $"the fixture's rotations overlap at {t:O}");
            var email = set.Count == 0 ? null : emails[set.Single()];
            answers.Add(email);
            return email;
        }, From, _swapFrom);
        hours += CompareHourly(config, result.ScheduleIds[scheduleId], t => oracle.At(t).SingleOrDefault() is { } u ? emails[u] : null, _swapTo, To);

        // Every hour but the four of the rotation-only override (see the next test), for both schedules alike.
        Assert.Equal(56 * 24 - 4, hours);
        Assert.True(answers.Count >= 3, $"only {answers.Count} distinct answers");
    }

    [Fact]
    public void RotationSpecificOverride_IsReported_AndIsExactlyWhereVigilDiffers()
    {
        var result = Import();
        var config = Load(result);
        var emails = Emails();
        var oracle = Oracle(Storefront);
        var schedule = config.FindSchedule("storefront")!;

        Assert.Contains(result.Unmapped, u => u.Kind == "override" && u.Source.Contains("day-swap", StringComparison.Ordinal) && u.Reason.Contains("some rotations only", StringComparison.Ordinal));
        for (var t = _swapFrom; t < _swapTo; t = t.AddHours(1))
        {
            var vigil = Vigil.Core.OnCall.ScheduleResolver.OnCallAt(schedule, [], t).PersonId;
            Assert.Equal("carol@example.com", emails[oracle.At(t).Single()]);
            Assert.NotEqual("carol", vigil);
        }
    }

    [Fact]
    public void Mapping_IsExact_ForRotationTypesRestrictionsAndEscalations()
    {
        var config = Load(Import());
        var platform = config.FindSchedule("platform")!;
        Assert.Equal("Europe/Berlin", platform.Timezone);
        Assert.Equal(RotationKind.Weekly, platform.Layers[0].Rotation);
        Assert.Equal("Mon 09:00", platform.Layers[0].Handoff.ToConfigString());
        Assert.Equal(5, platform.Layers[0].Restrictions.Count);
        Assert.Equal(RotationKind.Daily, platform.Layers[1].Rotation);
        Assert.Equal("17:00", platform.Layers[1].Handoff.ToConfigString());

        var storefront = config.FindSchedule("storefront")!;
        Assert.Equal((RotationKind.Custom, TimeSpan.FromHours(12), "08:00"), (storefront.Layers[0].Rotation, storefront.Layers[0].ShiftLength!.Value, storefront.Layers[0].Handoff.ToConfigString()));
        Assert.Equal((RotationKind.Custom, TimeSpan.FromDays(14), "20:00"), (storefront.Layers[1].Rotation, storefront.Layers[1].ShiftLength!.Value, storefront.Layers[1].Handoff.ToConfigString()));
        Assert.Equal((new TimeOnly(20, 0), new TimeOnly(8, 0)), (storefront.Layers[1].Restrictions[0].From, storefront.Layers[1].Restrictions[0].To));
        Assert.Single(storefront.Overrides);

        var policy = Assert.Single(config.EscalationPolicies);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(10)], policy.Steps.Select(s => s.After));
        Assert.Equal((2, TimeSpan.FromMinutes(30)), (policy.Repeat, policy.RepeatEvery!.Value));
    }

    [Fact]
    public void Report_NamesEverythingNotMapped_WithTheReason()
    {
        var result = Import();

        Assert.Contains(result.Unmapped, u => u.Kind == "rotation" && u.Reason.Contains("`none` participant", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "schedule" && u.Source.Contains("Gaps", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "escalation rule" && u.Reason.Contains("notifyType `next`", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "escalation rule" && u.Reason.Contains("recipient type `team`", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "integration" && u.Source.Contains("Prometheus", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Unmapped, u => u.Kind == "overlapping rotations");
    }

    [Fact]
    public void OverlappingRotations_AreReported()
    {
        using var dir = new TempDirectory();
        dir.Write("users.json", """{ "data": [ { "id": "u1", "username": "a@example.com" }, { "id": "u2", "username": "b@example.com" } ] }""");
        dir.Write("schedules.json", """
            { "data": [ { "id": "s1", "name": "Both", "timezone": "UTC", "rotations": [
              { "name": "One", "type": "daily", "length": 1, "startDate": "2027-01-01T00:00:00Z", "participants": [ { "type": "user", "id": "u1" } ] },
              { "name": "Two", "type": "weekly", "length": 1, "startDate": "2027-01-01T00:00:00Z", "participants": [ { "type": "user", "id": "u2" } ] } ] } ] }
            """);

        var result = OpsgenieImporter.Map(ImportFiles.Load([dir.Path]), From);

        var overlap = Assert.Single(result.Unmapped, u => u.Kind == "overlapping rotations");
        Assert.Contains("\"One\" and \"Two\"", overlap.Reason);
        Load(result);
    }

    [Fact]
    public void BadInput_NamesTheFileTheJsonPathAndTheFix()
    {
        using var dir = new TempDirectory();
        dir.Write("schedules.json", """{ "data": [ { "id": "s1", "name": "x", "timezone": "UTC", "rotations": [ { "name": "r", "type": "monthly", "startDate": "2027-01-01T00:00:00Z", "participants": [ { "type": "user", "id": "u1" } ] } ] } ] }""");
        var ex = Assert.Throws<ImportInputException>(() => OpsgenieImporter.Map(ImportFiles.Load([dir.Path]), From));
        Assert.Contains("schedules.json: at $.data[0].rotations[0].type: `monthly` is not an Opsgenie rotation type; use hourly, daily or weekly", ex.Message);

        dir.Write("oncall.json", """{ "data": [] }""");
        ex = Assert.Throws<ImportInputException>(() => OpsgenieImporter.Map(ImportFiles.Load([Path.Combine(dir.Path, "oncall.json")]), From));
        Assert.Contains("is not named after an Opsgenie endpoint", ex.Message);
    }
}
