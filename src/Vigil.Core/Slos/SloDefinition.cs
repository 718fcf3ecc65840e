using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Slos;

/// <summary>Where an SLO's good and total events come from.</summary>
public enum SliKind
{
    /// <summary>Ok probes of the SLI's checks, from check history.</summary>
    Availability,

    /// <summary>Ok probes no slower than a threshold, from check history.</summary>
    Latency,

    /// <summary>Good and total counter selectors, queried from Prometheus over each window; <c>vigil slo rules</c> exports them as rules.</summary>
    Prometheus,
}

/// <summary>One multi-window burn-rate alert rule: fires while both windows burn at least <see cref="Factor"/>.</summary>
public sealed record BurnRule(double Factor, TimeSpan Long, TimeSpan Short, BurnAction Action)
{
    /// <summary>A short stable name, like <c>14.4x/1h/5m</c>.</summary>
    public string Name => $"{Factor.ToString("0.##", CultureInfo.InvariantCulture)}x/{Duration.Format(Long)}/{Duration.Format(Short)}";
}

/// <summary>
/// An SLO as the engine uses it: the config entry resolved against its defaults (alerts, severities)
/// and its service (check keys). Built by <see cref="SloDefinitions.Build"/>.
/// </summary>
/// <param name="Objective">The target as a fraction, like 0.999.</param>
/// <param name="CheckKeys">The checks the SLI reads, as <c>service/check</c> keys (empty for Prometheus SLIs).</param>
/// <param name="Legacy">Mapped from the deprecated <c>services[].slo</c>.</param>
public sealed record SloDefinition(
    string Id,
    string Service,
    string? Description,
    double Objective,
    SloWindow Window,
    SliKind Kind,
    IReadOnlyList<string> CheckKeys,
    TimeSpan? LatencyThreshold,
    SloPrometheusConfig? Prometheus,
    bool Alerting,
    IReadOnlyList<BurnRule> Alerts,
    string PageSeverity,
    string TicketSeverity,
    bool Legacy = false)
{
    /// <summary>The allowed bad fraction, 1 − objective (0.001 for 99.9 %).</summary>
    public double Budget => 1 - Objective;

    /// <summary>Whether the SLI is read from Vigil's check history (availability, latency) rather than queried from Prometheus.</summary>
    public bool FromHistory => Kind != SliKind.Prometheus;

    /// <summary>The objective as written, like <c>99.9%</c>.</summary>
    public string ObjectiveText => (Objective * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%";

    /// <summary>The signal key of this SLO's burn-rate alerts.</summary>
    public string SignalKey => "slo/" + Id;

    /// <summary>The severity a firing rule's action maps to.</summary>
    public string SeverityFor(BurnAction action) => action == BurnAction.Page ? PageSeverity : TicketSeverity;
}

/// <summary>Builds <see cref="SloDefinition"/>s from a config, including the mapping of the deprecated <c>services[].slo</c>.</summary>
public static class SloDefinitions
{
    /// <summary>Every SLO of the config, in config order (services, then their SLOs).</summary>
    public static IReadOnlyList<SloDefinition> Build(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (page, ticket) = DefaultSeverities(config);
        var defaults = config.SloDefaults.Alerts;
        var list = new List<SloDefinition>();
        foreach (var service in config.Services)
        {
            var entries = service.Slo is not null && service.Slos.Count == 0 ? FromLegacy(service) : service.Slos;
            foreach (var slo in entries)
            {
                list.Add(Resolve(service, slo, defaults, page, ticket, legacy: service.Slo is not null && service.Slos.Count == 0));
            }
        }

        return list;
    }

    /// <summary>
    /// The <c>slos</c> entries a deprecated <c>slo:</c> reads as: <c>&lt;service&gt;-availability</c> for
    /// <c>availability</c>, and <c>&lt;service&gt;-latency-p95</c> (objective 95 %, threshold the value) for
    /// each <c>latency_pNN</c>; window, checks and <c>burn_rate_alerts</c> carry over.
    /// </summary>
    public static IReadOnlyList<ServiceSloConfig> FromLegacy(ServiceConfig service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Slo is not { } slo)
        {
            return [];
        }

        var window = new SloWindow(slo.Window);
        var list = new List<ServiceSloConfig>();
        if (slo.Availability is { } availability)
        {
            list.Add(new ServiceSloConfig
            {
                Id = service.Id + "-availability", Objective = availability, Window = window, Alerting = slo.BurnRateAlerts,
                Availability = new SloAvailabilityConfig { Checks = slo.Checks },
            });
        }

        foreach (var (percentile, threshold) in new[] { (50, slo.LatencyP50), (90, slo.LatencyP90), (95, slo.LatencyP95), (99, slo.LatencyP99) })
        {
            if (threshold is { } t)
            {
                list.Add(new ServiceSloConfig
                {
                    Id = $"{service.Id}-latency-p{percentile}", Objective = new Percentage(percentile), Window = window, Alerting = slo.BurnRateAlerts,
                    Latency = new SloLatencyConfig { Threshold = t, Checks = slo.Checks },
                });
            }
        }

        return list;
    }

    /// <summary>
    /// The severities burn-rate alerts fire at when neither the SLO nor <c>slo_defaults</c> names one: page →
    /// the least severe level that pages, ticket → the least severe level (P1 and P3 in the default scheme).
    /// </summary>
    public static (string Page, string Ticket) DefaultSeverities(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var levels = config.Severities;
        var page = config.SloDefaults.PageSeverity ?? levels.LastOrDefault(l => l.Page)?.Id ?? levels[0].Id;
        var ticket = config.SloDefaults.TicketSeverity ?? levels[^1].Id;
        return (page, ticket);
    }

    private static SloDefinition Resolve(ServiceConfig service, ServiceSloConfig slo, IReadOnlyList<BurnRateAlertConfig> defaults, string page, string ticket, bool legacy)
    {
        var kind = slo.Availability is not null ? SliKind.Availability : slo.Latency is not null ? SliKind.Latency : SliKind.Prometheus;
        var checks = kind == SliKind.Prometheus
            ? []
            : (slo.SliChecks.Count > 0 ? slo.SliChecks : service.Checks.Select(c => c.Id)).Select(c => $"{service.Id}/{c}").ToList();
        var source = slo.Alerts.Count > 0 ? slo.Alerts : defaults;
        var rules = source
            .Where(a => a.BurnRate is not null && a.LongWindow is not null && a.ShortWindow is not null)
            .Select(a => new BurnRule(a.BurnRate!.Value, a.LongWindow!.Value, a.ShortWindow!.Value, a.Action))
            // A default alert longer than a short rolling window cannot be measured; it is left out (docs/slos.md).
            .Where(r => slo.Window.Rolling is not { } w || r.Long <= w)
            .ToList();
        return new SloDefinition(slo.Id, service.Id, slo.Description, slo.Objective!.Value.Fraction, slo.Window, kind, checks,
            slo.Latency?.Threshold, slo.Prometheus, slo.Alerting, rules, slo.PageSeverity ?? page, slo.TicketSeverity ?? ticket, legacy);
    }
}
