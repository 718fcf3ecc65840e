using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// An independent evaluator of a PagerDuty schedule object (GET /schedules/{id}), written from
/// PagerDuty's API reference and NOT sharing code with the importer or Vigil's resolver: who is on
/// call at an instant, as a PagerDuty user id. Overrides win; then layers from the highest
/// <c>rendering_index</c> down, each only between its <c>start</c> and <c>end</c> and inside its
/// restrictions; turn k runs from <c>rotation_virtual_start</c> + k turns (whole days and divisors of
/// a day keep their local time in the schedule's zone; restrictions are local wall-clock windows).
/// </summary>
internal sealed class PagerDutyOracle
{
    private readonly TimeZoneInfo _zone;
    private readonly List<(DateTimeOffset Start, DateTimeOffset End, string User)> _overrides = [];
    private readonly List<JsonElement> _layers;

    public PagerDutyOracle(JsonElement schedule, JsonElement? overridesFile)
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.GetProperty("time_zone").GetString()!);
        _layers = schedule.GetProperty("schedule_layers").EnumerateArray().OrderByDescending(l => l.GetProperty("rendering_index").GetInt32()).ToList();
        var source = overridesFile is { } f ? f.GetProperty("overrides") : schedule.GetProperty("overrides_subschedule").GetProperty("rendered_schedule_entries");
        foreach (var o in source.EnumerateArray())
        {
            _overrides.Add((Time(o.GetProperty("start")), Time(o.GetProperty("end")), o.GetProperty("user").GetProperty("id").GetString()!));
        }
    }

    public string? At(DateTimeOffset t)
    {
        foreach (var o in Enumerable.Reverse(_overrides))
        {
            if (o.Start <= t && t < o.End)
            {
                return o.User;
            }
        }

        foreach (var layer in _layers)
        {
            if (Time(layer.GetProperty("start")) > t || layer.TryGetProperty("end", out var end) && end.ValueKind == JsonValueKind.String && Time(end) <= t)
            {
                continue;
            }

            if (!Allowed(layer, t))
            {
                continue;
            }

            var users = layer.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("user").GetProperty("id").GetString()!).ToList();
            var turn = Turn(layer, t);
            return users[(int)(((turn % users.Count) + users.Count) % users.Count)];
        }

        return null;
    }

    /// <summary>The number of the turn that contains t (boundaries walked one by one from the virtual start).</summary>
    private long Turn(JsonElement layer, DateTimeOffset t)
    {
        var seconds = layer.GetProperty("rotation_turn_length_seconds").GetInt64();
        var anchor = TimeZoneInfo.ConvertTime(Time(layer.GetProperty("rotation_virtual_start")), _zone).DateTime;
        var wall = seconds % 86400 == 0 || 86400 % seconds == 0;
        long k = 0;
        if (Boundary(anchor, seconds, 0, wall) > t)
        {
            while (Boundary(anchor, seconds, k, wall) > t)
            {
                k--;
            }

            return k;
        }

        while (Boundary(anchor, seconds, k + 1, wall) <= t)
        {
            k++;
        }

        return k;
    }

    private DateTimeOffset Boundary(DateTime anchorLocal, long seconds, long k, bool wall) => wall
        ? Instant(anchorLocal.AddSeconds(seconds * k))
        : Instant(anchorLocal).AddSeconds(seconds * k);

    private bool Allowed(JsonElement layer, DateTimeOffset t)
    {
        var restrictions = layer.GetProperty("restrictions").EnumerateArray().ToList();
        if (restrictions.Count == 0)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(t, _zone).DateTime;
        foreach (var r in restrictions)
        {
            var start = TimeSpan.Parse(r.GetProperty("start_time_of_day").GetString()!, CultureInfo.InvariantCulture);
            var duration = r.GetProperty("duration_seconds").GetInt64();
            for (var back = 0; back <= 8; back++)
            {
                var day = local.Date.AddDays(-back);
                if (r.GetProperty("type").GetString() == "weekly_restriction" && ((int)day.DayOfWeek == 0 ? 7 : (int)day.DayOfWeek) != r.GetProperty("start_day_of_week").GetInt32())
                {
                    continue;
                }

                var from = day + start;
                if (Instant(from) <= t && t < Instant(from.AddSeconds(duration)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A local wall time as an instant: in a spring-forward gap, the end of the gap; in a doubled hour, the first occurrence.</summary>
    private DateTimeOffset Instant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offsets = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offsets);
    }

    private static DateTimeOffset Time(JsonElement e) => DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture);
}
