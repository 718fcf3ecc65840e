using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Storage;

namespace Vigil.Core.StatusPage;

/// <summary>
/// Builds what the public status page shows from the config, the services' health, the daily
/// uptime totals, incidents, public updates and maintenance windows (pure: no I/O, no clock).
/// </summary>
public static class StatusPageBuilder
{
    /// <summary>How many days the uptime bars cover.</summary>
    public const int UptimeDays = 90;

    /// <summary>How far back closed incidents are listed.</summary>
    public static readonly TimeSpan IncidentHistory = TimeSpan.FromDays(30);

    /// <summary>How far ahead scheduled maintenance is listed.</summary>
    public static readonly TimeSpan MaintenanceAhead = TimeSpan.FromDays(14);

    /// <summary>At most this many past incidents are listed.</summary>
    public const int MaxRecentIncidents = 50;

    public static StatusPageModel Build(StatusPageInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var config = input.Config;
        var page = config.StatusPage;
        var now = input.Now;
        var shown = page.ShownServices(config);
        var shownIds = shown.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var days = Days(now);

        var maintenance = Maintenance(config, shown, input.AdHocWindows, now);
        var incidents = input.Incidents
            .Where(i => i.Service is { } s && shownIds.Contains(s))
            .Select(i => ToPublic(i, config.FindService(i.Service!)!, config.FindSeverity(i.Severity)?.Name ?? i.Severity, input.PublicUpdates))
            .ToList();
        var open = incidents.Where(i => i.Status != "resolved").OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Id).ToList();
        var recent = incidents.Where(i => i.Status == "resolved" && i.OpenedAt >= now - IncidentHistory)
            .OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Id).Take(MaxRecentIncidents).ToList();
        var openServices = open.Select(i => i.ServiceId).ToHashSet(StringComparer.Ordinal);
        var inMaintenance = config.Maintenance.Select(w => MaintenanceWindows.FromConfig(w, now))
            .Concat(input.AdHocWindows.Where(w => w.CancelledAt is null && w.StartsAt <= now && now < w.EndsAt)
                .Select(w => new ActiveWindow("#" + w.Id.ToString(CultureInfo.InvariantCulture), w.Services, w.StartsAt, w.EndsAt, w.Reason, w.BlocksDeploys)))
            .Where(w => w is not null).Select(w => w!).ToList();

        var services = shown.Select(s =>
        {
            var state = PublicStates.FromHealth(input.ServiceHealth.TryGetValue(s.Id, out var h) ? h : "unknown");
            if (state < PublicState.Degraded && inMaintenance.Any(w => w.Covers(s.Id)))
            {
                state = PublicState.Maintenance;
            }
            else if (state < PublicState.Degraded && openServices.Contains(s.Id))
            {
                state = PublicState.Degraded;
            }

            var (uptime, daily) = Uptime(input.Uptime.TryGetValue(s.Id, out var u) ? u : null, days);
            return new PublicService(s.Id, s.Name, s.Description, state, uptime, daily)
            {
                Slos = page.ShowSlos && input.Slos is { } slos ? Vigil.Core.Slos.SloAttainment.Of(slos, s.Id) : [],
            };
        }).ToList();
        var overall = services.Count == 0 ? PublicState.Operational : services.Max(s => s.State);
        return new StatusPageModel(page.TitleFor(config), page.LogoUrl, string.IsNullOrWhiteSpace(page.Message) ? null : page.Message.Trim(),
            overall, days, services, open, recent, maintenance);
    }

    /// <summary>
    /// When the page changes by the clock alone: a listed window starts or ends, or a new UTC day
    /// moves the uptime bars.
    /// </summary>
    public static DateTimeOffset NextChange(StatusPageModel model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        var next = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        foreach (var m in model.Maintenance)
        {
            var at = m.Active ? m.EndsAt : m.StartsAt;
            if (at > now && at < next)
            {
                next = at;
            }
        }

        return next;
    }

    /// <summary>
    /// The words the public reads for an incident's status: triggered is investigating, acknowledged
    /// is identified, mitigated is monitoring, resolved and closed are resolved.
    /// </summary>
    public static string PublicStatus(IncidentStatus status) => status switch
    {
        IncidentStatus.Triggered => "investigating",
        IncidentStatus.Acknowledged => "identified",
        IncidentStatus.Mitigated => "monitoring",
        _ => "resolved",
    };

    /// <summary>The 90 UTC days ending today, oldest first.</summary>
    public static IReadOnlyList<DateOnly> Days(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Enumerable.Range(0, UptimeDays).Select(i => today.AddDays(i - UptimeDays + 1)).ToList();
    }

    /// <summary>
    /// Sums check totals per service: a check key is <c>service/check</c>. Keys of services not in
    /// <paramref name="services"/> are skipped.
    /// </summary>
    public static Dictionary<string, Dictionary<DateOnly, DayCount>> ByService(IEnumerable<DailyTotal> totals, IReadOnlySet<string> services)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(services);
        var result = new Dictionary<string, Dictionary<DateOnly, DayCount>>(StringComparer.Ordinal);
        foreach (var t in totals)
        {
            var slash = t.Key.IndexOf('/', StringComparison.Ordinal);
            var service = slash < 0 ? t.Key : t.Key[..slash];
            if (!services.Contains(service))
            {
                continue;
            }

            if (!result.TryGetValue(service, out var byDay))
            {
                result[service] = byDay = [];
            }

            var day = DateOnly.FromDateTime(t.Day.UtcDateTime);
            byDay[day] = byDay.GetValueOrDefault(day).Add(t.Count, t.Failures);
        }

        return result;
    }

    private static (double? Uptime, IReadOnlyList<double?> Daily) Uptime(IReadOnlyDictionary<DateOnly, DayCount>? byDay, IReadOnlyList<DateOnly> days)
    {
        var daily = new double?[days.Count];
        long count = 0, failures = 0;
        for (var i = 0; i < days.Count; i++)
        {
            if (byDay is not null && byDay.TryGetValue(days[i], out var d) && d.Count > 0)
            {
                daily[i] = Percent(d.Count, d.Failures);
                count += d.Count;
                failures += d.Failures;
            }
        }

        return (count == 0 ? null : Percent(count, failures), daily);
    }

    // Floored to 0.01 so 99.996 % never shows as 100 % while something failed.
    private static double Percent(long count, long failures) => Math.Floor((count - Math.Min(failures, count)) * 10_000.0 / count) / 100.0;

    private static PublicIncident ToPublic(Incident incident, ServiceConfig service, string severity, IReadOnlyDictionary<long, IReadOnlyList<TimelineEntry>> updates)
    {
        var list = updates.TryGetValue(incident.Id, out var u) ? u.Where(e => e.Kind == TimelineKinds.PublicUpdate).Select(e => new PublicUpdate(e.At, e.Text)).ToList() : [];
        var resolved = incident.ResolvedAt ?? incident.ClosedAt;
        var status = PublicStatus(incident.Status);
        var changes = new[] { incident.OpenedAt, incident.AcknowledgedAt, incident.MitigatedAt, status == "resolved" ? resolved : null }
            .Concat(list.Select(x => (DateTimeOffset?)x.At)).Where(t => t is not null).Max()!.Value;
        return new PublicIncident(incident.Id, service.Id, service.Name, severity, status, incident.OpenedAt,
            status == "resolved" ? resolved : null, changes, list);
    }

    private static List<PublicMaintenance> Maintenance(VigilConfig config, IReadOnlyList<ServiceConfig> shown, IReadOnlyList<MaintenanceWindow> adHoc, DateTimeOffset now)
    {
        var list = new List<PublicMaintenance>();
        void Add(ActiveWindow? w)
        {
            if (w is null || w.EndsAt <= now || w.StartsAt > now + MaintenanceAhead)
            {
                return;
            }

            var names = shown.Where(s => w.Covers(s.Id)).Select(s => s.Name).ToList();
            if (names.Count > 0)
            {
                list.Add(new PublicMaintenance(w.Id, names, w.StartsAt, w.EndsAt, w.Reason, w.StartsAt <= now));
            }
        }

        foreach (var w in config.Maintenance)
        {
            var active = MaintenanceWindows.FromConfig(w, now);
            Add(active);
            Add(MaintenanceWindows.Next(w, active?.EndsAt ?? now));
        }

        foreach (var w in adHoc.Where(w => w.CancelledAt is null))
        {
            Add(new ActiveWindow("#" + w.Id.ToString(CultureInfo.InvariantCulture), w.Services, w.StartsAt, w.EndsAt, w.Reason, w.BlocksDeploys));
        }

        return list.OrderBy(m => m.StartsAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }
}
