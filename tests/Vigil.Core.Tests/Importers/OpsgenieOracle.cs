using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// An independent evaluator of an Opsgenie schedule (GET /v2/schedules?expand=rotation plus its
/// overrides), written from Opsgenie's API reference and sharing no code with the importer or Vigil's
/// resolver: the set of user ids on call at an instant. Every rotation active at t (from startDate,
/// before endDate, inside its timeRestriction) contributes its current participant; turns are
/// <c>length</c> hours/days/weeks from startDate at the same local time in the schedule's zone;
/// time restrictions are local wall-clock spans (time-of-day every day; weekday-and-time-of-day from
/// startDay/time to endDay/time). An override replaces everyone (or, with rotations, those rotations' participant).
/// </summary>
internal sealed class OpsgenieOracle
{
    private static readonly string[] _days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    private readonly TimeZoneInfo _zone;
    private readonly List<JsonElement> _rotations;
    private readonly List<JsonElement> _overrides;

    public OpsgenieOracle(JsonElement schedule, JsonElement overrides)
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.GetProperty("timezone").GetString()!);
        _rotations = schedule.GetProperty("rotations").EnumerateArray().ToList();
        _overrides = overrides.GetProperty("data").EnumerateArray().ToList();
    }

    public IReadOnlySet<string> At(DateTimeOffset t)
    {
        var active = _overrides.LastOrDefault(o => Time(o, "startDate") <= t && t < Time(o, "endDate"));
        if (active.ValueKind == JsonValueKind.Object && active.GetProperty("rotations").GetArrayLength() == 0)
        {
            return new HashSet<string> { active.GetProperty("user").GetProperty("id").GetString()! };
        }

        var replaced = active.ValueKind == JsonValueKind.Object
            ? active.GetProperty("rotations").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToHashSet()
            : [];
        var onCall = new HashSet<string>();
        foreach (var rotation in _rotations)
        {
            var start = Time(rotation, "startDate");
            if (t < start || rotation.TryGetProperty("endDate", out var end) && end.ValueKind == JsonValueKind.String && Time(rotation, "endDate") <= t || !Allowed(rotation, t))
            {
                continue;
            }

            if (replaced.Contains(rotation.GetProperty("id").GetString()!))
            {
                onCall.Add(active.GetProperty("user").GetProperty("id").GetString()!);
                continue;
            }

            var participants = rotation.GetProperty("participants").EnumerateArray().ToList();
            var unitHours = rotation.GetProperty("type").GetString() switch { "hourly" => 1, "daily" => 24, _ => 168 };
            var hours = unitHours * rotation.GetProperty("length").GetInt32();
            var anchor = TimeZoneInfo.ConvertTime(start, _zone).DateTime;
            var k = 0;
            while (Instant(anchor.AddHours(hours * (k + 1))) <= t)
            {
                k++;
            }

            var p = participants[k % participants.Count];
            if (p.GetProperty("type").GetString() == "user")
            {
                onCall.Add(p.GetProperty("id").GetString()!);
            }
        }

        return onCall;
    }

    private bool Allowed(JsonElement rotation, DateTimeOffset t)
    {
        if (!rotation.TryGetProperty("timeRestriction", out var tr) || tr.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(t, _zone).DateTime;
        if (tr.GetProperty("type").GetString() == "time-of-day")
        {
            var r = tr.GetProperty("restriction");
            for (var back = 0; back <= 1; back++)
            {
                var day = local.Date.AddDays(-back);
                var from = day + Clock(r, "startHour", "startMin");
                var to = day + Clock(r, "endHour", "endMin");
                if (to <= from)
                {
                    to = to.AddDays(1);
                }

                if (Instant(from) <= t && t < Instant(to))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var r in tr.GetProperty("restrictions").EnumerateArray())
        {
            var startDay = Array.IndexOf(_days, r.GetProperty("startDay").GetString());
            var endDay = Array.IndexOf(_days, r.GetProperty("endDay").GetString());
            for (var back = 0; back <= 7; back++)
            {
                var day = local.Date.AddDays(-back);
                if ((int)day.DayOfWeek != startDay)
                {
                    continue;
                }

                var from = day + Clock(r, "startHour", "startMin");
                var to = day.AddDays((endDay - startDay + 7) % 7) + Clock(r, "endHour", "endMin");
                if (to <= from)
                {
                    to = to.AddDays(7);
                }

                if (Instant(from) <= t && t < Instant(to))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static TimeSpan Clock(JsonElement r, string h, string m) => new(r.GetProperty(h).GetInt32(), r.GetProperty(m).GetInt32(), 0);

    private DateTimeOffset Instant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Time(JsonElement e, string name) => DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
