using System.Globalization;

namespace Vigil.Core.Config;

/// <summary>At most <see cref="Count"/> times per <see cref="Window"/>, written like <c>2 per 1h</c>.</summary>
public readonly record struct RunLimit(int Count, TimeSpan Window) : IConfigScalar<RunLimit>
{
    static string IConfigScalar<RunLimit>.Expected => "a limit like `2 per 1h` (a count from 1 to 100, `per`, a duration)";

    /// <summary>Parses <c>N per DURATION</c>; N from 1 to 100, the duration positive and at most 7 days.</summary>
    public static bool TryParse(string? text, out RunLimit value, out string? error)
    {
        value = default;
        var parts = (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !string.Equals(parts[1], "per", StringComparison.OrdinalIgnoreCase))
        {
            error = "write a count, `per` and a duration, like `2 per 1h`";
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 100)
        {
            error = $"`{parts[0]}` is not a count from 1 to 100; write one like `2 per 1h`";
            return false;
        }

        if (!Duration.TryParse(parts[2], out var window, out _) || window <= TimeSpan.Zero || window > TimeSpan.FromDays(7))
        {
            error = $"`{parts[2]}` is not a duration from 1s to 7d; write one like `2 per 1h`";
            return false;
        }

        value = new RunLimit(count, window);
        error = null;
        return true;
    }

    public string ToConfigString() => $"{Count.ToString(CultureInfo.InvariantCulture)} per {Duration.Format(Window)}";

    public override string ToString() => ToConfigString();
}
