namespace Vigil.Core.Incidents;

/// <summary>Figures for one severity level over the report period.</summary>
public sealed record SeverityFigures(string Severity, int Incidents, int Acknowledged, int Resolved, double? MttaSeconds, double? MttrSeconds, int AckBreaches);

/// <summary>A dedup key that fired often.</summary>
public sealed record NoisySignal(string DedupKey, string Source, string? Service, string Summary, long Fired, int Incidents);

/// <summary>The incident report: counts, mean time to acknowledge and resolve, breaches, noisiest signals.</summary>
public sealed record IncidentReport(
    DateTimeOffset Since,
    DateTimeOffset Until,
    string? Service,
    int Incidents,
    int Open,
    double? MttaSeconds,
    double? MttrSeconds,
    int AckBreaches,
    IReadOnlyList<SeverityFigures> BySeverity,
    IReadOnlyList<NoisySignal> NoisiestSignals)
{
    /// <summary>Attainment of each SLO (of the report's service, if any) over its own window, as of the last evaluation.</summary>
    public IReadOnlyList<Vigil.Core.Slos.SloAttainment> Slos { get; init; } = [];

    /// <summary>
    /// Computes the report from the incidents opened in the period. MTTA is over incidents that were
    /// acknowledged, MTTR over those resolved; reopened incidents count from their first opening.
    /// </summary>
    public static IncidentReport Build(IReadOnlyList<Incident> incidents, IReadOnlyList<SeverityLevel> levels, IReadOnlyList<NoisySignal> noisy,
        DateTimeOffset since, DateTimeOffset until, string? service)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(levels);
        var order = levels.Select(l => l.Id).ToList();
        var bySeverity = incidents.GroupBy(i => i.Severity)
            .OrderBy(g => order.IndexOf(g.Key) is var x && x < 0 ? int.MaxValue : x).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Figures(g.Key, g.ToList()))
            .ToList();
        var all = Figures("all", incidents);
        return new IncidentReport(since, until, service, incidents.Count, incidents.Count(i => i.IsOpen), all.MttaSeconds, all.MttrSeconds,
            all.AckBreaches, bySeverity, noisy);
    }

    private static SeverityFigures Figures(string severity, IReadOnlyCollection<Incident> list)
    {
        var acked = list.Where(i => i.AcknowledgedAt is not null).Select(i => (i.AcknowledgedAt!.Value - i.OpenedAt).TotalSeconds).ToList();
        var resolved = list.Where(i => i.ResolvedAt is not null).Select(i => (i.ResolvedAt!.Value - i.OpenedAt).TotalSeconds).ToList();
        return new SeverityFigures(severity, list.Count, acked.Count, resolved.Count,
            acked.Count == 0 ? null : Math.Round(acked.Average(), 1),
            resolved.Count == 0 ? null : Math.Round(resolved.Average(), 1),
            list.Count(i => i.AckBreachedAt is not null));
    }
}
