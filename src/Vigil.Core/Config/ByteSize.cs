using System.Globalization;

namespace Vigil.Core.Config;

/// <summary>
/// Byte sizes: a plain number of bytes or a number with a unit. <c>KB</c>, <c>MB</c>, <c>GB</c>,
/// <c>TB</c> are powers of 1000; <c>KiB</c>, <c>MiB</c>, <c>GiB</c>, <c>TiB</c> are powers of 1024;
/// <c>B</c> is bytes. Units are case-insensitive.
/// </summary>
public static class ByteSize
{
    public const string Expected = "a byte size like 1048576, 512KB, 10MB or 1MiB";

    private static readonly Dictionary<string, long> _units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b"] = 1,
        ["kb"] = 1000,
        ["mb"] = 1000 * 1000,
        ["gb"] = 1000 * 1000 * 1000,
        ["tb"] = 1000L * 1000 * 1000 * 1000,
        ["kib"] = 1024,
        ["mib"] = 1024 * 1024,
        ["gib"] = 1024 * 1024 * 1024,
        ["tib"] = 1024L * 1024 * 1024 * 1024,
    };

    public static bool TryParse(string? text, out long value, out string? error)
    {
        value = 0;
        var s = text?.Trim() ?? string.Empty;
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }

        if (i == 0 || !decimal.TryParse(s.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"write {Expected}";
            return false;
        }

        var unit = s[i..].Trim();
        long multiplier = 1;
        if (unit.Length > 0 && !_units.TryGetValue(unit, out multiplier))
        {
            error = $"unknown unit `{unit}`; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB";
            return false;
        }

        var bytes = number * multiplier;
        if (bytes > long.MaxValue || decimal.Truncate(bytes) != bytes)
        {
            error = bytes > long.MaxValue ? "the size is too large" : "the size must be a whole number of bytes";
            return false;
        }

        value = (long)bytes;
        error = null;
        return true;
    }
}
