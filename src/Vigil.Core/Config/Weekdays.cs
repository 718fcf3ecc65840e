namespace Vigil.Core.Config;

/// <summary>Weekday names in config: <c>mon</c>..<c>sun</c> or full names, case-insensitive.</summary>
internal static class Weekdays
{
    public const string Expected = "a weekday like mon or monday";

    private static readonly string[] _short = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static bool TryParse(string? text, out DayOfWeek day)
    {
        day = default;
        var s = text?.Trim().ToLowerInvariant() ?? string.Empty;
        for (var i = 0; i < _short.Length; i++)
        {
            var full = ((DayOfWeek)i).ToString().ToLowerInvariant();
            if (s == _short[i].ToLowerInvariant() || s == full)
            {
                day = (DayOfWeek)i;
                return true;
            }
        }

        return false;
    }

    public static string Format(DayOfWeek day) => _short[(int)day];
}
