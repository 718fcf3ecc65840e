namespace Vigil.Core.Config;

/// <summary>
/// The period an SLO is measured over: a rolling duration (<c>28d</c>, <c>30d</c>, or any duration
/// from 1m to 366d, short ones for demos and tests) or <c>calendar_month</c> (the current UTC month).
/// </summary>
public readonly record struct SloWindow(TimeSpan? Rolling) : IConfigScalar<SloWindow>
{
    public const string CalendarMonthName = "calendar_month";

    static string IConfigScalar<SloWindow>.Expected => "a rolling window like 28d or 30d, or calendar_month";

    /// <summary>The usual rolling window, 30 days.</summary>
    public static SloWindow Default { get; } = new(TimeSpan.FromDays(30));

    public static SloWindow CalendarMonth { get; } = new((TimeSpan?)null);

    public bool IsCalendarMonth => Rolling is null;

    public static bool TryParse(string? text, out SloWindow value, out string? error)
    {
        value = default;
        var s = text?.Trim() ?? string.Empty;
        if (s is CalendarMonthName or "month" or "calendar-month")
        {
            value = CalendarMonth;
            error = null;
            return true;
        }

        if (!Duration.TryParse(s, out var span, out var durationError))
        {
            error = $"{durationError}; an SLO window is a rolling duration like 28d or 30d, or calendar_month";
            return false;
        }

        if (span < TimeSpan.FromMinutes(1) || span > TimeSpan.FromDays(366))
        {
            error = "an SLO window must be between 1m and 366d; 28d or 30d is usual (or calendar_month)";
            return false;
        }

        value = new SloWindow(span);
        error = null;
        return true;
    }

    /// <summary>Where the window in force at <paramref name="now"/> starts and how long it is (a calendar month runs from the 1st, 00:00 UTC).</summary>
    public (DateTimeOffset Start, TimeSpan Length) At(DateTimeOffset now)
    {
        if (Rolling is { } rolling)
        {
            return (now - rolling, rolling);
        }

        var utc = now.ToUniversalTime();
        var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1) - start);
    }

    /// <summary>The longest the window can be: the rolling duration, or 31 days.</summary>
    public TimeSpan MaxLength => Rolling ?? TimeSpan.FromDays(31);

    public string ToConfigString() => Rolling is { } r ? Duration.Format(r) : CalendarMonthName;

    public override string ToString() => ToConfigString();
}
