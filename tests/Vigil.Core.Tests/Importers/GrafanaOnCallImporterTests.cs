using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Importers;
using Vigil.Core.Tests.Config;
using static Vigil.Core.Tests.Importers.ImporterOracle;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// <c>vigil import grafana-oncall</c>'s mapping, checked hour by hour over eight weeks (DST in Berlin
/// and New York included) against an independent evaluator of the Grafana OnCall shifts.
/// </summary>
public sealed class GrafanaOnCallImporterTests
{
    private static readonly string _dir = Fixture("grafana-oncall");

    private static ImportResult Import() => GrafanaOnCallImporter.Map(ImportFiles.Load([_dir]), From);

    private static JsonElement Json(string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, relative))).RootElement;

    [Theory]
    [InlineData("SBERLIN")]
    [InlineData("SNYORK")]
    public void EightWeeks_HourByHour_VigilAgreesWithTheSourceDefinition(string scheduleId)
    {
        var result = Import();
        var config = Load(result);
        var listed = Json("schedules.json").GetProperty("results").EnumerateArray().Single(s => s.GetProperty("id").GetString() == scheduleId)
            .GetProperty("shifts").EnumerateArray().Select(s => s.GetString()).ToHashSet();
        var oracle = new GrafanaOnCallOracle(Json("on_call_shifts.json").GetProperty("results").EnumerateArray().Where(s => listed.Contains(s.GetProperty("id").GetString())).ToList());
        var emails = Json("users.json").GetProperty("results").EnumerateArray().ToDictionary(u => u.GetProperty("id").GetString()!, u => u.GetProperty("email").GetString()!);
        var answers = new HashSet<string?>();

        var hours = CompareHourly(config, result.ScheduleIds[scheduleId], t =>
        {
            var email = oracle.At(t) is { } u ? emails[u] : null;
            answers.Add(email);
            return email;
        }, From, To);

        Assert.Equal(56 * 24, hours);
        Assert.True(answers.Count >= 4, $"only {answers.Count} distinct answers");
    }

    [Fact]
    public void Mapping_IsExact_ForShiftsOverridesChainsAndWebhooks()
    {
        var config = Load(Import());
        var berlin = config.FindSchedule("sre-berlin")!;
        Assert.Equal(["Weekly", "Evenings", "Saturday"], berlin.Layers.Select(l => l.Name));
        Assert.Equal((RotationKind.Weekly, "Mon 10:00"), (berlin.Layers[0].Rotation, berlin.Layers[0].Handoff.ToConfigString()));
        Assert.Equal((new TimeOnly(18, 0), new TimeOnly(22, 0)), (berlin.Layers[1].Restrictions[0].From, berlin.Layers[1].Restrictions[0].To));
        Assert.Equal([DayOfWeek.Saturday], berlin.Layers[2].Restrictions.Single().Days);
        Assert.Single(berlin.Overrides);
        var ny = config.FindSchedule("edge-ny")!;
        Assert.Equal((RotationKind.Custom, TimeSpan.FromHours(12)), (ny.Layers[0].Rotation, ny.Layers[0].ShiftLength!.Value));

        var policy = Assert.Single(config.EscalationPolicies);
        Assert.Equal(["0m schedule:sre-berlin", "10m person:dave", "10m notifier:status-bot"],
            policy.Steps.Select(s => $"{ImportShapes.Duration(s.After)} {string.Join(",", s.Notify.Select(n => $"{n.Kind.ToString().ToLowerInvariant()}:{n.Id}"))}"));
        Assert.Equal((5, TimeSpan.FromMinutes(25)), (policy.Repeat, policy.RepeatEvery!.Value));
        Assert.Equal("https://hooks.example.com/oncall", config.FindNotifier("status-bot")!.Webhook!.Url);
        Assert.Equal("default", Assert.Single(config.Services).EscalationPolicy);
    }

    [Fact]
    public void Report_NamesEverythingNotMapped_WithTheReason()
    {
        var result = Import();

        Assert.Contains(result.Unmapped, u => u.Kind == "schedule" && u.Source.Contains("Legacy iCal", StringComparison.Ordinal) && u.Reason.Contains("iCal", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "shift" && u.Source.Contains("Weekdays", StringComparison.Ordinal) && u.Reason.Contains("by_day", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "shift" && u.Source.Contains("Pairs", StringComparison.Ordinal) && u.Reason.Contains("several people", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "escalation step" && u.Reason.Contains("notify_user_group", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "escalation step" && u.Reason.Contains("`important`", StringComparison.Ordinal));
        Assert.Contains(result.Unmapped, u => u.Kind == "integration" && u.Source.Contains("Grafana Alerting", StringComparison.Ordinal));
    }

    [Fact]
    public void BadInput_NamesTheFileTheJsonPathAndTheFix()
    {
        using var dir = new TempDirectory();
        dir.Write("schedules.json", """{ "count": 1, "next": null, "results": [ { "id": "S1", "type": "web", "name": "x", "time_zone": "UTC", "shifts": ["O1"] } ] }""");
        dir.Write("on_call_shifts.json", """{ "count": 1, "next": null, "results": [ { "id": "O1", "type": "rolling_users", "start": "next monday", "duration": 60 } ] }""");
        var ex = Assert.Throws<ImportInputException>(() => GrafanaOnCallImporter.Map(ImportFiles.Load([dir.Path]), From));
        Assert.Contains("on_call_shifts.json: at $.results[0].start: `next monday` is not a local time; write it as Grafana OnCall returns it, like 2027-01-04T09:00:00", ex.Message);
    }
}
