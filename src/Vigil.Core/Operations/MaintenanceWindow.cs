using Cronos;
using Vigil.Core.Config;

namespace Vigil.Core.Operations;

/// <summary>A maintenance window created ad hoc (<c>vigil window create</c>), stored as state.</summary>
public sealed record MaintenanceWindow(
    long Id,
    IReadOnlyList<string> Services,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Reason,
    bool BlocksDeploys,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt,
    string? CancelledBy);

/// <summary>
/// A window in force at some instant, from the config (recurring or one-off, id <c>config:&lt;id&gt;</c>)
/// or ad hoc (id <c>#&lt;n&gt;</c>). <see cref="Services"/> may hold <c>*</c> for every service.
/// </summary>
public sealed record ActiveWindow(string Id, IReadOnlyList<string> Services, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason, bool BlocksDeploys)
{
    public bool Covers(string? service) => service is not null && Services.Any(s => s == "*" || s == service);
}

/// <summary>Which maintenance windows are active at an instant (pure).</summary>
public static class MaintenanceWindows
{
    /// <summary>Config windows (recurring by cron in their zone, or one-off) and ad-hoc windows active at <paramref name="at"/>.</summary>
    public static IReadOnlyList<ActiveWindow> Active(IReadOnlyList<MaintenanceConfig> config, IReadOnlyList<MaintenanceWindow> adHoc, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adHoc);
        var list = new List<ActiveWindow>();
        foreach (var w in config)
        {
            if (FromConfig(w, at) is { } active)
            {
                list.Add(active);
            }
        }

        list.AddRange(adHoc.Where(w => w.CancelledAt is null && w.StartsAt <= at && at < w.EndsAt)
            .Select(w => new ActiveWindow("#" + w.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Services, w.StartsAt, w.EndsAt, w.Reason, w.BlocksDeploys)));
        return list;
    }

    /// <summary>The config window's occurrence that contains <paramref name="at"/>, if any.</summary>
    public static ActiveWindow? FromConfig(MaintenanceConfig window, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (Recurrence(window) is var (expression, zone, duration))
        {
            // The latest start at or before `at` that is still running: starts within (at - duration, at].
            DateTimeOffset? start = null;
            foreach (var occurrence in expression.GetOccurrences(at - duration, at, zone, fromInclusive: false, toInclusive: true))
            {
                start = occurrence;
            }

            return start is { } s ? Occurrence(window, s, s + duration) : null;
        }

        return window.Start is { } from && window.End is { } to && from <= at && at < to ? Occurrence(window, from, to) : null;
    }

    /// <summary>The config window's first occurrence that starts after <paramref name="after"/>, if any.</summary>
    public static ActiveWindow? Next(MaintenanceConfig window, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (Recurrence(window) is var (expression, zone, duration))
        {
            return expression.GetNextOccurrence(after, zone) is { } next ? Occurrence(window, next, next + duration) : null;
        }

        return window.Start is { } s && window.End is { } e && s > after ? Occurrence(window, s, e) : null;
    }

    private static (CronExpression Expression, TimeZoneInfo Zone, TimeSpan Duration)? Recurrence(MaintenanceConfig window) =>
        window.Cron is { } cron && window.Duration is { } duration && CronRules.TryParse(cron, out var expression, out _)
            ? (expression!, TimeZoneInfo.FindSystemTimeZoneById(window.Timezone), duration)
            : null;

    private static ActiveWindow Occurrence(MaintenanceConfig window, DateTimeOffset from, DateTimeOffset to) =>
        new("config:" + window.Id, window.Services, from, to, window.Description ?? $"maintenance window {window.Id}", window.BlocksDeploys);
}
