namespace Vigil.Core.Config;

/// <summary>The <c>incidents:</c> section: how signals become incidents.</summary>
public sealed class IncidentsConfig
{
    /// <summary>
    /// A resolved incident whose signal fires again within this long is reopened instead of a new
    /// incident being opened. <c>0s</c> turns reopening off.
    /// </summary>
    public TimeSpan ReopenWithin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Signal labels that group several dedup keys into one incident (like <c>[service, alertname]</c>).
    /// Signals that lack any of these labels are grouped by their own dedup key. Empty: one incident per dedup key.
    /// </summary>
    public IReadOnlyList<string> GroupBy { get; set; } = [];

    /// <summary>Which sources resolve an incident on their own once every signal attached to it has resolved.</summary>
    public AutoResolveConfig AutoResolve { get; set; } = new();

    /// <summary>
    /// Markdown template for <c>vigil incident pir</c>, relative to the config file. Placeholders
    /// like <c>{{title}}</c> and <c>{{timeline}}</c> are listed in docs/incidents.md. Default: the built-in template.
    /// </summary>
    public string? PirTemplate { get; set; }
}

/// <summary>Auto-resolve per signal source (<c>auto_resolve:</c>).</summary>
public sealed class AutoResolveConfig
{
    /// <summary>Incidents opened by Vigil's own checks (and by failed scheduled runbook runs, SLO burn-rate alerts, RPO breaches and backup jobs) resolve when all their signals have.</summary>
    public bool Checks { get; set; } = true;

    /// <summary>Incidents opened by Alertmanager or Prometheus alerts resolve when all their alerts have resolved.</summary>
    public bool Alertmanager { get; set; } = true;

    /// <summary>Incidents opened by the events API resolve when all their dedup keys got a <c>resolve</c> event.</summary>
    public bool Events { get; set; } = true;
}
