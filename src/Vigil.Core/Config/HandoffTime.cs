using System.Globalization;

namespace Vigil.Core.Config;

/// <summary>
/// When a rotation hands over: a time of day (<c>09:00</c>) and, for weekly rotations, a weekday
/// (<c>Mon 09:00</c>), in the schedule's time zone.
/// </summary>
public readonly record struct HandoffTime(DayOfWeek? Day, TimeOnly Time) : IConfigScalar<HandoffTime>
{
    static string IConfigScalar<HandoffTime>.Expected => "a handoff time like \"Mon 09:00\" or \"09:00\"";

    public static bool TryParse(string? text, out HandoffTime value, out string? error)
    {
        value = default;
        var parts = (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        DayOfWeek? day = null;
        if (parts.Length == 2)
        {
            if (!Weekdays.TryParse(parts[0], out var d))
            {
                error = $"`{parts[0]}` is not a weekday; write mon, tue, wed, thu, fri, sat or sun";
                return false;
            }

            day = d;
        }
        else if (parts.Length != 1)
        {
            error = "write a handoff time like \"Mon 09:00\" (weekly) or \"09:00\" (daily)";
            return false;
        }

        if (!TimeOnly.TryParseExact(parts[^1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            error = $"`{parts[^1]}` is not a time of day; write 24-hour HH:mm like 09:00";
            return false;
        }

        value = new HandoffTime(day, time);
        error = null;
        return true;
    }

    public string ToConfigString()
    {
        var time = Time.ToString("HH:mm", CultureInfo.InvariantCulture);
        return Day is { } d ? Weekdays.Format(d) + " " + time : time;
    }

    public override string ToString() => ToConfigString();
}
