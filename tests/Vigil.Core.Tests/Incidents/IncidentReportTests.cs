using Vigil.Core.Incidents;
using static Vigil.Core.Tests.Incidents.IncidentFixtures;

namespace Vigil.Core.Tests.Incidents;

public sealed class IncidentReportTests
{
    private static readonly IReadOnlyList<SeverityLevel> SevLevels = Policy(SevScheme).Levels;

    private static Incident Made(long id, string severity, TimeSpan? ack = null, TimeSpan? resolve = null, bool breached = false,
        IncidentStatus? status = null)
    {
        var opened = T0.AddHours(id);
        return new Incident(id, "incident " + id, severity, "db", status ?? (resolve is null ? (ack is null ? IncidentStatus.Triggered : IncidentStatus.Acknowledged) : IncidentStatus.Resolved),
            "k" + id, "system:checks", opened, opened + ack, null, opened + resolve, null, opened.AddMinutes(5), breached ? opened.AddMinutes(5) : null,
            true, 0, null, null, null, null, Labels());
    }

    [Fact]
    public void Build_MttaAndMttrBySeverity_OverAcknowledgedAndResolvedIncidentsOnly()
    {
        IReadOnlyList<Incident> incidents =
        [
            Made(1, "SEV1", ack: TimeSpan.FromMinutes(2), resolve: TimeSpan.FromMinutes(30)),
            Made(2, "SEV1", ack: TimeSpan.FromMinutes(10), resolve: TimeSpan.FromMinutes(90), breached: true),
            Made(3, "SEV1"), // still triggered: counts, but not in MTTA/MTTR
            Made(4, "SEV3", ack: TimeSpan.FromSeconds(45)),
        ];
        IReadOnlyList<NoisySignal> noisy = [new NoisySignal("db/ping", "check", "db", "db down", 9, 3)];

        var report = IncidentReport.Build(incidents, SevLevels, noisy, T0, T0.AddDays(7), "db");

        Assert.Equal(T0, report.Since);
        Assert.Equal(T0.AddDays(7), report.Until);
        Assert.Equal("db", report.Service);
        Assert.Equal(4, report.Incidents);
        Assert.Equal(2, report.Open);
        Assert.Equal(1, report.AckBreaches);
        Assert.Same(noisy, report.NoisiestSignals);
        // All: MTTA over 120 s, 600 s and 45 s; MTTR over 1800 s and 5400 s.
        Assert.Equal(255.0, report.MttaSeconds);
        Assert.Equal(3600.0, report.MttrSeconds);

        Assert.Equal(["SEV1", "SEV3"], report.BySeverity.Select(s => s.Severity));
        var sev1 = report.BySeverity[0];
        Assert.Equal(new SeverityFigures("SEV1", 3, 2, 2, 360.0, 3600.0, 1), sev1);
        Assert.Equal(new SeverityFigures("SEV3", 1, 1, 0, 45.0, null, 0), report.BySeverity[1]);
    }

    [Fact]
    public void Build_SeveritiesInLevelOrder_UnknownOnesLastByName()
    {
        IReadOnlyList<Incident> incidents =
        [
            Made(1, "SEV4", resolve: TimeSpan.FromMinutes(1)),
            Made(2, "P1", resolve: TimeSpan.FromMinutes(1)), // a level since removed from the config
            Made(3, "SEV2", resolve: TimeSpan.FromMinutes(1)),
            Made(4, "OLD", resolve: TimeSpan.FromMinutes(1)),
            Made(5, "SEV1", resolve: TimeSpan.FromMinutes(1)),
        ];

        var report = IncidentReport.Build(incidents, SevLevels, [], T0, T0.AddDays(1), null);

        Assert.Equal(["SEV1", "SEV2", "SEV4", "OLD", "P1"], report.BySeverity.Select(s => s.Severity));
        Assert.Equal(0, report.Open);
    }

    [Fact]
    public void Build_MeansAreRoundedToTenthsOfSeconds()
    {
        IReadOnlyList<Incident> incidents =
        [
            Made(1, "SEV2", ack: TimeSpan.FromSeconds(10)),
            Made(2, "SEV2", ack: TimeSpan.FromSeconds(10)),
            Made(3, "SEV2", ack: TimeSpan.FromSeconds(11)),
        ];

        var report = IncidentReport.Build(incidents, SevLevels, [], T0, T0.AddDays(1), null);

        Assert.Equal(10.3, report.MttaSeconds);
        Assert.Null(report.MttrSeconds);
    }

    [Fact]
    public void Build_OpenCountsTriggeredAcknowledgedAndMitigated()
    {
        IReadOnlyList<Incident> incidents =
        [
            Made(1, "SEV2"),
            Made(2, "SEV2", ack: TimeSpan.FromMinutes(1)),
            Made(3, "SEV2", ack: TimeSpan.FromMinutes(1), status: IncidentStatus.Mitigated),
            Made(4, "SEV2", ack: TimeSpan.FromMinutes(1), resolve: TimeSpan.FromMinutes(2)),
            Made(5, "SEV2", ack: TimeSpan.FromMinutes(1), resolve: TimeSpan.FromMinutes(2), status: IncidentStatus.Closed),
        ];

        Assert.Equal(3, IncidentReport.Build(incidents, SevLevels, [], T0, T0.AddDays(1), null).Open);
    }

    [Fact]
    public void Build_NoIncidents_ZerosAndNoMeans()
    {
        var report = IncidentReport.Build([], SevLevels, [], T0, T0.AddDays(1), null);

        Assert.Equal(0, report.Incidents);
        Assert.Equal(0, report.Open);
        Assert.Equal(0, report.AckBreaches);
        Assert.Null(report.MttaSeconds);
        Assert.Null(report.MttrSeconds);
        Assert.Empty(report.BySeverity);
    }
}
