using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Tests.Importers;

/// <summary>
/// An independent evaluator of a Grafana OnCall web/calendar schedule (its <c>on_call_shifts</c>),
/// written from the OnCall API reference and sharing no code with the importer or Vigil's resolver:
/// who is on call at an instant, as a user id. Event n of a rolling_users/recurrent_event shift starts
/// at <c>start</c> (local, in the shift's zone) + n × interval × frequency, at the same local time,
/// lasts <c>duration</c> seconds, and goes to rolling group n mod groups; overrides win, then the highest level.
/// </summary>
internal sealed class GrafanaOnCallOracle(IReadOnlyList<JsonElement> shifts)
{
    public string? At(DateTimeOffset t)
    {
        string? best = null;
        var bestLevel = long.MinValue;
        foreach (var s in shifts)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(s.GetProperty("time_zone").GetString()!);
            var startLocal = DateTime.Parse(s.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
            var duration = s.GetProperty("duration").GetInt64();
            var type = s.GetProperty("type").GetString();
            if (type == "override")
            {
                var from = Instant(startLocal, zone);
                if (from <= t && t < from.AddSeconds(duration))
                {
                    return s.GetProperty("users")[0].GetString();
                }

                continue;
            }

            var hours = s.GetProperty("frequency").GetString() switch { "hourly" => 1, "daily" => 24, _ => 168 } * s.GetProperty("interval").GetInt32();
            var groups = type == "rolling_users"
                ? s.GetProperty("rolling_users").EnumerateArray().Select(g => g[0].GetString()!).ToList()
                : [s.GetProperty("users")[0].GetString()!];
            // The latest event starting at or before t, walking from the first.
            var n = -1;
            while (Instant(startLocal.AddHours(hours * (n + 1)), zone) <= t)
            {
                n++;
            }

            if (n < 0)
            {
                continue;
            }

            var eventStart = Instant(startLocal.AddHours(hours * n), zone);
            var level = s.GetProperty("level").GetInt64();
            if (t < eventStart.AddSeconds(duration) && level > bestLevel)
            {
                best = groups[n % groups.Count];
                bestLevel = level;
            }
        }

        return best;
    }

    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local));
    }
}
