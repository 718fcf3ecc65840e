namespace Vigil.Core.Config;

/// <summary>Settings every SLO (<c>services[].slos[]</c>) shares unless it sets its own: burn-rate alerts, the severities they fire at, how often SLOs are evaluated.</summary>
public sealed class SloDefaultsConfig : IConfigValidatable
{
    /// <summary>The SRE workbook's alerts: 14.4x over 1h/5m and 6x over 6h/30m page; 3x over 1d/2h and 1x over 3d/6h open a ticket.</summary>
    public static IReadOnlyList<BurnRateAlertConfig> WorkbookAlerts() =>
    [
        new() { BurnRate = 14.4, LongWindow = TimeSpan.FromHours(1), ShortWindow = TimeSpan.FromMinutes(5), Action = BurnAction.Page },
        new() { BurnRate = 6, LongWindow = TimeSpan.FromHours(6), ShortWindow = TimeSpan.FromMinutes(30), Action = BurnAction.Page },
        new() { BurnRate = 3, LongWindow = TimeSpan.FromDays(1), ShortWindow = TimeSpan.FromHours(2), Action = BurnAction.Ticket },
        new() { BurnRate = 1, LongWindow = TimeSpan.FromDays(3), ShortWindow = TimeSpan.FromHours(6), Action = BurnAction.Ticket },
    ];

    /// <summary>Burn-rate alerts of every SLO that does not list its own.</summary>
    [DocDefault("14.4x 1h/5m page, 6x 6h/30m page, 3x 1d/2h ticket, 1x 3d/6h ticket")]
    public IReadOnlyList<BurnRateAlertConfig> Alerts { get; set; } = WorkbookAlerts();

    /// <summary>Severity of a firing <c>page</c> alert. Default: the least severe level that pages (P1 in the default scheme).</summary>
    [ReferenceTo("severities")]
    public string? PageSeverity { get; set; }

    /// <summary>Severity of a firing <c>ticket</c> alert. Default: the least severe level (P3 in the default scheme).</summary>
    [ReferenceTo("severities")]
    public string? TicketSeverity { get; set; }

    /// <summary>Severity of a breached RPO (<c>rpo/&lt;service&gt;</c>). Default: the page severity.</summary>
    [ReferenceTo("severities")]
    public string? RpoSeverity { get; set; }

    /// <summary>How often SLOs (burn rates, budgets, alerts) and RPOs are evaluated.</summary>
    public TimeSpan EvaluateEvery { get; set; } = TimeSpan.FromMinutes(1);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (EvaluateEvery < TimeSpan.FromSeconds(1) || EvaluateEvery > TimeSpan.FromHours(1))
        {
            context.Error(ConfigPath.Member(path, "evaluate_every"), "`evaluate_every` must be between 1s and 1h; 1m is usual");
        }
    }
}
