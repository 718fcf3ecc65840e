namespace Vigil.Core.Config;

/// <summary>
/// One multi-window burn-rate alert (SRE workbook, chapter 5): it fires while the error budget burns
/// at least <c>burn_rate</c> times the sustainable rate over both <c>long_window</c> and
/// <c>short_window</c>, and resolves as soon as the short window drops below it.
/// </summary>
public sealed class BurnRateAlertConfig : IConfigValidatable
{
    /// <summary>How many times faster than sustainable the budget burns (1 = exactly used up at the window's end), like 14.4.</summary>
    [Mandatory]
    [NumberRange(0.01, 100000)]
    public double? BurnRate { get; set; }

    /// <summary>The window the burn rate is measured over, like 1h.</summary>
    [Mandatory]
    [Positive]
    public TimeSpan? LongWindow { get; set; }

    /// <summary>The confirmation window that must burn as fast too, like 5m (usually 1/12 of the long window); also what resolves the alert.</summary>
    [Mandatory]
    [Positive]
    public TimeSpan? ShortWindow { get; set; }

    /// <summary>What a firing alert does: <c>page</c> or <c>ticket</c>.</summary>
    public BurnAction Action { get; set; } = BurnAction.Page;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (LongWindow is { } l && ShortWindow is { } s && s >= l)
        {
            context.Error(ConfigPath.Member(path, "short_window"), $"`short_window` ({Duration.Format(s)}) must be shorter than `long_window` ({Duration.Format(l)}); the workbook uses 1/12 of it, like 1h with 5m");
        }

        if (LongWindow is { } lw && lw > TimeSpan.FromDays(31))
        {
            context.Error(ConfigPath.Member(path, "long_window"), "`long_window` must be at most 31d");
        }
    }
}
