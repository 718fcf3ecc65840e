using System.Globalization;
using System.Text;

namespace Vigil.Core.Config;

/// <summary>
/// Config durations: a number and a unit, <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>,
/// <c>1w</c>, or a compound with units from largest to smallest such as <c>1h30m</c> or <c>1d12h</c>.
/// Fractions are allowed (<c>1.5h</c>) down to millisecond precision. <c>0</c> alone means zero.
/// Negative durations are rejected.
/// </summary>
public static class Duration
{
    /// <summary>What a valid duration looks like, for messages.</summary>
    public const string Expected = "a duration like 500ms, 30s, 5m, 1h, 1d, 1w or 1h30m";

    private static readonly (string Unit, long Millis)[] _units =
    [
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000L),
        ("ms", 1L),
    ];

    // 100 years: longer than any real interval, retention or window, and small enough that
    // "now - duration" and "now + duration" stay inside DateTimeOffset's range.
    private static readonly decimal _maxMillis = 100m * 365 * 24 * 3600 * 1000;

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses a duration; on failure <paramref name="error"/> says what is wrong and how to write it.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        var s = text?.Trim() ?? string.Empty;
        if (s.Length == 0)
        {
            error = $"the duration is empty; write {Expected}";
            return false;
        }

        if (s[0] == '-')
        {
            error = "a duration must not be negative";
            return false;
        }

        if (s == "0")
        {
            error = null;
            return true;
        }

        decimal total = 0;
        var lastUnitIndex = -1;
        var i = 0;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == numberStart)
            {
                error = s[i] == '+' || char.IsWhiteSpace(s[i])
                    ? $"unexpected `{s[i]}`; write {Expected} with no spaces or signs"
                    : $"expected a number before `{s[i..]}`; write {Expected}";
                return false;
            }

            if (!decimal.TryParse(s.AsSpan(numberStart, i - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"`{s[numberStart..i]}` is not a number; write {Expected}";
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i];
            var numberText = s[numberStart..unitStart];
            if (unit.Length == 0)
            {
                if (i >= s.Length)
                {
                    error = $"`{numberText}` has no unit; write for example {numberText}s or {numberText}m (units: ms, s, m, h, d, w)";
                }
                else if (char.IsWhiteSpace(s[i]) && UnitFor(s[i..].Trim()) is { } spaced)
                {
                    error = $"write it without a space and with a short unit: {numberText}{spaced}";
                }
                else
                {
                    error = $"unexpected `{s[i]}`; write {Expected}, with no spaces or signs";
                }

                return false;
            }

            var unitIndex = Array.FindIndex(_units, u => u.Unit == unit);
            if (unitIndex < 0)
            {
                error = UnitFor(unit) is { } known
                    ? $"unknown unit `{unit}`; write {numberText}{known} (units: ms, s, m, h, d, w)"
                    : $"unknown unit `{unit}`; use ms, s, m, h, d or w (for example 30s, 5m, 1h30m)";
                return false;
            }

            if (unitIndex <= lastUnitIndex)
            {
                error = "in a compound duration each unit may appear once, from largest to smallest (like 1h30m or 1d12h)";
                return false;
            }

            lastUnitIndex = unitIndex;
            total += number * _units[unitIndex].Millis;
            if (total > _maxMillis)
            {
                error = "the duration is too long (at most 100 years)";
                return false;
            }
        }

        if (decimal.Truncate(total) != total)
        {
            error = "a duration can be at most millisecond-precise";
            return false;
        }

        value = TimeSpan.FromMilliseconds((long)total);
        error = null;
        return true;
    }

    /// <summary>The short unit for a spelled-out one (<c>minutes</c> → <c>m</c>), for suggestions.</summary>
    private static string? UnitFor(string word) => word.ToLowerInvariant() switch
    {
        "msec" or "msecs" or "millis" or "millisecond" or "milliseconds" => "ms",
        "sec" or "secs" or "second" or "seconds" => "s",
        "min" or "mins" or "minute" or "minutes" => "m",
        "hr" or "hrs" or "hour" or "hours" => "h",
        "day" or "days" => "d",
        "wk" or "wks" or "week" or "weeks" => "w",
        _ => null,
    };

    /// <summary>Parses a duration or throws <see cref="FormatException"/>.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>
    /// The canonical text of a duration: units d, h, m, s, ms from largest to smallest, zero parts
    /// left out (<c>90m</c> becomes <c>1h30m</c>, zero is <c>0s</c>). It parses back to the same value.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration());
        }

        var sb = new StringBuilder();
        var ms = (long)value.TotalMilliseconds;
        var subMillisecondTicks = value.Ticks % TimeSpan.TicksPerMillisecond;
        foreach (var (unit, size) in _units.AsSpan(1))
        {
            var n = ms / size;
            if (n == 0)
            {
                continue;
            }

            ms -= n * size;
            if (unit == "ms" && subMillisecondTicks != 0)
            {
                break;
            }

            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }

        if (subMillisecondTicks != 0)
        {
            var fraction = (value.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerMillisecond;
            sb.Append(fraction.ToString(CultureInfo.InvariantCulture)).Append("ms");
        }

        return sb.ToString();
    }
}
