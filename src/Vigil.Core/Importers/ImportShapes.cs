using System.Globalization;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.OnCall;

namespace Vigil.Core.Importers;

/// <summary>Vigil ids made from vendor names: lowercase slugs, unique within a section.</summary>
public sealed class IdAllocator
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>A free id from <paramref name="preferred"/> (a name, an e-mail's local part), else from <paramref name="fallback"/>.</summary>
    public string Take(string? preferred, string fallback)
    {
        var slug = Slug(preferred);
        if (slug.Length == 0)
        {
            slug = Slug(fallback);
        }

        if (slug.Length == 0)
        {
            slug = "item";
        }

        var id = slug;
        for (var n = 2; !_taken.Add(id); n++)
        {
            id = $"{slug[..Math.Min(slug.Length, 60)]}-{n}";
        }

        return id;
    }

    public static string Slug(string? text)
    {
        var sb = new StringBuilder();
        foreach (var c in (text ?? string.Empty).Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var s = sb.ToString().Trim('-', '.', '_');
        return s.Length > 56 ? s[..56].TrimEnd('-', '.', '_') : s;
    }
}

/// <summary>
/// The shapes every vendor shares, mapped onto Vigil's schedule model: a rotation given by an anchor
/// instant and a turn length, and a restriction given by a start (weekday and time) and a length.
/// </summary>
public static class ImportShapes
{
    private const long Day = 86_400;
    private const long Week = 7 * Day;

    /// <summary>
    /// A layer whose turns start at <paramref name="anchor"/> and last <paramref name="turnSeconds"/>,
    /// in <paramref name="zone"/>: weekly (7 days), daily (1 day) or custom. Returns the reason
    /// instead when Vigil cannot express it exactly (an anchor with seconds, a turn not in whole minutes).
    /// </summary>
    public static string? Rotation(ScheduleLayerConfig layer, DateTimeOffset anchor, long turnSeconds, TimeZoneInfo zone)
    {
        if (turnSeconds <= 0 || turnSeconds % 60 != 0)
        {
            return $"a turn of {turnSeconds} s is not a whole number of minutes; Vigil shift lengths are whole minutes";
        }

        var local = WallClock.ToLocal(anchor, zone);
        if (local.Second != 0 || local.Millisecond != 0)
        {
            return $"the rotation starts at {local:HH:mm:ss} local time; Vigil handoffs are whole minutes";
        }

        if (!WallClock.ToInstant(local, zone).Equals(anchor))
        {
            return $"the rotation start {anchor:O} is in the doubled fall-back hour; Vigil reads a local time there as its first occurrence";
        }

        var time = TimeOnly.FromDateTime(local);
        layer.Start = DateOnly.FromDateTime(local);
        switch (turnSeconds)
        {
            case Week:
                layer.Rotation = RotationKind.Weekly;
                layer.Handoff = new HandoffTime(local.DayOfWeek, time);
                break;
            case Day:
                layer.Rotation = RotationKind.Daily;
                layer.Handoff = new HandoffTime(null, time);
                break;
            default:
                layer.Rotation = RotationKind.Custom;
                layer.Handoff = new HandoffTime(null, time);
                layer.ShiftLength = TimeSpan.FromSeconds(turnSeconds);
                break;
        }

        return null;
    }

    /// <summary>
    /// Windows that start on <paramref name="day"/> (null: every day) at <paramref name="start"/> and
    /// last <paramref name="seconds"/> of wall-clock time, as Vigil restrictions. A window of a day or
    /// more is split into whole-day windows (<c>from == to</c>) plus the rest. Returns null with a
    /// reason when the window is not in whole minutes; an empty list means "all the time".
    /// </summary>
    public static List<LayerRestrictionConfig>? Window(DayOfWeek? day, TimeSpan start, long seconds, out string? reason)
    {
        reason = null;
        if (start.Seconds != 0 || start.Milliseconds != 0 || seconds % 60 != 0 || seconds <= 0 || start < TimeSpan.Zero || start >= TimeSpan.FromDays(1))
        {
            reason = $"a window at {start:hh\\:mm\\:ss} lasting {seconds} s is not in whole minutes within a day; Vigil restriction edges are HH:mm";
            return null;
        }

        if (day is null ? seconds >= Day : seconds >= Week)
        {
            return [];
        }

        var from = TimeOnly.FromTimeSpan(start);
        if (day is null)
        {
            return [new LayerRestrictionConfig { From = from, To = from.Add(TimeSpan.FromSeconds(seconds)) }];
        }

        var windows = new List<LayerRestrictionConfig>();
        var current = day.Value;
        var left = seconds;
        var wholeDays = new List<DayOfWeek>();
        while (left >= Day)
        {
            wholeDays.Add(current);
            current = (DayOfWeek)(((int)current + 1) % 7);
            left -= Day;
        }

        if (wholeDays.Count > 0)
        {
            windows.Add(new LayerRestrictionConfig { Days = wholeDays, From = from, To = from });
        }

        if (left > 0)
        {
            windows.Add(new LayerRestrictionConfig { Days = [current], From = from, To = from.Add(TimeSpan.FromSeconds(left)) });
        }

        return windows;
    }

    /// <summary>A duration as Vigil config writes it: <c>1w</c>, <c>3d</c>, <c>12h</c>, <c>1h30m</c>, <c>45s</c>.</summary>
    public static string Duration(TimeSpan t)
    {
        if (t == TimeSpan.Zero)
        {
            return "0m";
        }

        var sb = new StringBuilder();
        void Part(long value, string unit)
        {
            if (value > 0)
            {
                sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(t.Days, "d");
        Part(t.Hours, "h");
        Part(t.Minutes, "m");
        Part(t.Seconds, "s");
        return sb.ToString();
    }

    /// <summary>The time zone <paramref name="id"/> names, or a clear error at <paramref name="node"/>.</summary>
    public static TimeZoneInfo Zone(JsonNode node, string id) =>
        TimeZones.TryFind(id, out var zone) && zone is not null
            ? zone
            : throw node.Fail($"`{id}` is not an IANA time zone Vigil knows", "use an IANA name like Europe/Berlin" + TimeZones.DidYouMean(id));
}
