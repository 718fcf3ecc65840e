using System.Globalization;

namespace Vigil.Core.Incidents;

/// <summary>Short human durations for reports and PIRs: <c>45s</c>, <c>12m</c>, <c>3h 5m</c>, <c>2d 4h</c>.</summary>
public static class Durations
{
    public static string Human(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? F($"{(int)span.TotalSeconds}s")
            : span.TotalMinutes < 60 ? F($"{(int)span.TotalMinutes}m")
            : span.TotalHours < 24 ? (span.Minutes == 0 ? F($"{(int)span.TotalHours}h") : F($"{(int)span.TotalHours}h {span.Minutes}m"))
            : span.Hours == 0 ? F($"{(int)span.TotalDays}d") : F($"{(int)span.TotalDays}d {span.Hours}h");
    }

    public static string Human(TimeSpan? span) => span is { } s ? Human(s) : "—";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
