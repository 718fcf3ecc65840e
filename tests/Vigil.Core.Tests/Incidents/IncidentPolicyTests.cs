using Vigil.Core.Config;
using Vigil.Core.Incidents;
using static Vigil.Core.Tests.Incidents.IncidentFixtures;

namespace Vigil.Core.Tests.Incidents;

public sealed class IncidentPolicyTests
{
    private static SignalRouteConfig RouteOf(IncidentPolicy policy) => policy.Config.Integrations.Alertmanager.Route;

    // ---- levels -----------------------------------------------------------------------------------

    [Fact]
    public void FromConfig_DefaultScheme_IsP0ToP3MostSevereFirst()
    {
        var policy = Policy(DefaultScheme);

        Assert.Equal(["P0", "P1", "P2", "P3"], policy.Levels.Select(l => l.Id));
        Assert.Equal([0, 1, 2, 3], policy.Levels.Select(l => l.Rank));
        Assert.Equal("P3", policy.Lowest.Id);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.Level("P0").AckWithin);
        Assert.True(policy.Level("P1").RequirePir);
        Assert.False(policy.Level("P2").RequirePir);
        Assert.Equal(TimeSpan.FromHours(1), policy.ReopenWithin);
        Assert.Empty(policy.GroupBy);
        Assert.Equal(PirRenderer.DefaultTemplate, policy.PirTemplate);
        Assert.Empty(policy.Problems);
    }

    [Fact]
    public void FromConfig_SevScheme_KeepsIdsNamesTargetsAndOrder()
    {
        var policy = Policy(SevScheme);

        Assert.Equal(["SEV1", "SEV2", "SEV3", "SEV4"], policy.Levels.Select(l => l.Id));
        Assert.Equal(["Critical", "Major", "Minor", "Cosmetic"], policy.Levels.Select(l => l.Name));
        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromDays(1)],
            policy.Levels.Select(l => l.AckWithin!.Value));
        Assert.Equal([true, false, false, false], policy.Levels.Select(l => l.RequirePir));
        Assert.Equal([true, true, false, false], policy.Levels.Select(l => l.Page));
        Assert.Equal("SEV4", policy.Lowest.Id);
    }

    [Theory]
    [InlineData(DefaultScheme, "P3")]
    [InlineData(SevScheme, "SEV4")]
    public void Level_UnknownId_IsTheLeastSevere(string yaml, string lowest)
    {
        var policy = Policy(yaml);

        Assert.Equal(lowest, policy.Level("P7").Id);
        Assert.Equal(lowest, policy.Level("").Id);
    }

    [Fact]
    public void FromConfig_ChecklistAndTemplateFiles_AreReadRelativeToTheConfig()
    {
        var yaml = SevScheme.Replace("require_pir: true }", "require_pir: true, checklist: checklists/sev1.md }", StringComparison.Ordinal)
            + "\nincidents:\n  pir_template: pir.md\n";
        var policy = Policy(yaml, new Dictionary<string, string>
        {
            ["sev1.md"] = "# SEV1\n\n- [ ] Name a commander\n- [ ] Post in #incidents\n",
            ["pir.md"] = "PIR for {{title}}",
        });

        Assert.Equal(["Name a commander", "Post in #incidents"], policy.Level("SEV1").Checklist);
        Assert.Empty(policy.Level("SEV2").Checklist);
        Assert.Equal("PIR for {{title}}", policy.PirTemplate);
        Assert.Empty(policy.Problems);
    }

    [Fact]
    public void FromConfig_UnreadableFiles_AreProblemsAndTheDefaultsStandIn()
    {
        var yaml = SevScheme.Replace("require_pir: true }", "require_pir: true, checklist: checklists/sev1.md }", StringComparison.Ordinal)
            + "\nincidents:\n  pir_template: pir.md\n";
        var policy = Policy(yaml);

        Assert.Empty(policy.Level("SEV1").Checklist);
        Assert.Equal(PirRenderer.DefaultTemplate, policy.PirTemplate);
        Assert.Equal(2, policy.Problems.Count);
        Assert.Contains(policy.Problems, p => p.StartsWith("checklist of severity SEV1: cannot read ", StringComparison.Ordinal) && p.Contains("sev1.md"));
        Assert.Contains(policy.Problems, p => p.StartsWith("incidents.pir_template: cannot read ", StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfig_IncidentsSection_Lands()
    {
        var policy = Policy(DefaultScheme + """

            incidents:
              reopen_within: 10m
              group_by: [service, alertname]
            """);

        Assert.Equal(TimeSpan.FromMinutes(10), policy.ReopenWithin);
        Assert.Equal(["service", "alertname"], policy.GroupBy);
    }

    // ---- Route: severity mapping ------------------------------------------------------------------

    [Fact]
    public void Route_MapWinsOverEverythingElse()
    {
        var policy = Policy(SevScheme + """

            integrations:
              alertmanager:
                route:
                  map: { critical: SEV2, SEV1: SEV3, page-me: SEV1 }
            """);

        Assert.Equal("SEV2", policy.Route(RouteOf(policy), Labels(("severity", "critical"))).Severity);
        Assert.Equal("SEV3", policy.Route(RouteOf(policy), Labels(("severity", "SEV1"))).Severity);
        Assert.Equal("SEV1", policy.Route(RouteOf(policy), Labels(("severity", "page-me"))).Severity);
    }

    [Theory]
    [InlineData(DefaultScheme, "P1", "P1")]
    [InlineData(DefaultScheme, "P3", "P3")]
    [InlineData(SevScheme, "SEV2", "SEV2")]
    [InlineData(SevScheme, "SEV4", "SEV4")]
    public void Route_ExactSeverityId_IsTakenAsIs(string yaml, string value, string expected)
    {
        var policy = Policy(yaml);

        Assert.Equal(expected, policy.Route(RouteOf(policy), Labels(("severity", value))).Severity);
    }

    [Theory]
    [InlineData(DefaultScheme, "critical", "P0")]
    [InlineData(DefaultScheme, "CRITICAL", "P0")]
    [InlineData(DefaultScheme, "page", "P0")]
    [InlineData(DefaultScheme, "error", "P1")]
    [InlineData(DefaultScheme, "high", "P1")]
    [InlineData(DefaultScheme, "warning", "P2")]
    [InlineData(DefaultScheme, "Warn", "P2")]
    [InlineData(DefaultScheme, "medium", "P2")]
    [InlineData(DefaultScheme, "info", "P3")]
    [InlineData(DefaultScheme, "low", "P3")]
    [InlineData(SevScheme, "critical", "SEV1")]
    [InlineData(SevScheme, "error", "SEV2")]
    [InlineData(SevScheme, "warning", "SEV3")]
    [InlineData(SevScheme, "info", "SEV4")]
    public void Route_ConventionalNames_MapByRank(string yaml, string value, string expected)
    {
        var policy = Policy(yaml);

        Assert.Equal(expected, policy.Route(RouteOf(policy), Labels(("severity", value))).Severity);
    }

    [Theory]
    [InlineData("critical", "HIGH")]
    [InlineData("error", "LOW")]
    [InlineData("warning", "LOW")]
    [InlineData("info", "LOW")]
    public void Route_ConventionalNames_ClampToTheNumberOfLevels(string value, string expected)
    {
        var policy = Policy("""
            vigil:
              name: two-levels
            severities:
              - { id: HIGH, ack_within: 10m, page: true }
              - { id: LOW }
            """);

        Assert.Equal(expected, policy.Route(RouteOf(policy), Labels(("severity", value))).Severity);
    }

    [Fact]
    public void Route_UnknownOrMissingSeverity_GetsTheDefaultSeverity()
    {
        var policy = Policy(SevScheme + """

            integrations:
              alertmanager:
                route: { default_severity: SEV2 }
            """);

        Assert.Equal("SEV2", policy.Route(RouteOf(policy), Labels(("severity", "disaster"))).Severity);
        Assert.Equal("SEV2", policy.Route(RouteOf(policy), Labels(("alertname", "X"))).Severity);
    }

    [Theory]
    [InlineData(DefaultScheme, "P3")]
    [InlineData(SevScheme, "SEV4")]
    public void Route_UnknownOrMissingSeverityWithoutDefault_IsTheLeastSevere(string yaml, string lowest)
    {
        var policy = Policy(yaml);

        Assert.Equal(lowest, policy.Route(RouteOf(policy), Labels(("severity", "disaster"))).Severity);
        Assert.Equal(lowest, policy.Route(RouteOf(policy), Labels()).Severity);
    }

    [Fact]
    public void Route_CustomSeverityLabel_IsTheOneRead()
    {
        var policy = Policy(SevScheme + """

            integrations:
              alertmanager:
                route: { severity_label: priority }
            """);

        Assert.Equal("SEV1", policy.Route(RouteOf(policy), Labels(("priority", "critical"), ("severity", "info"))).Severity);
    }

    [Fact]
    public void Route_EventsRoute_ReadsTheComponentLabelForTheService()
    {
        var policy = Policy(SevScheme);
        var route = policy.Config.Integrations.Events.Route;

        Assert.Equal(("SEV3", "db"), policy.Route(route, Labels(("component", "db"), ("severity", "warning"))));
        Assert.Null(policy.Route(route, Labels(("service", "db"))).Service);
    }

    // ---- Route: service ---------------------------------------------------------------------------

    [Fact]
    public void Route_ServiceLabelNamingAConfiguredService_IsTheService()
    {
        var policy = Policy(DefaultScheme);

        Assert.Equal("api", policy.Route(RouteOf(policy), Labels(("service", "api"))).Service);
    }

    [Fact]
    public void Route_ServiceLabelNamingNoConfiguredService_HasNoService()
    {
        var policy = Policy(DefaultScheme);

        Assert.Null(policy.Route(RouteOf(policy), Labels(("service", "payments"))).Service);
        Assert.Null(policy.Route(RouteOf(policy), Labels()).Service);
    }

    [Fact]
    public void IsService_OnlyConfiguredIds()
    {
        var policy = Policy(DefaultScheme);

        Assert.True(policy.IsService("lonely"));
        Assert.False(policy.IsService("API"));
        Assert.False(policy.IsService(null));
    }

    // ---- dependencies and auto-resolve ------------------------------------------------------------

    [Fact]
    public void DependenciesOf_IsTransitive()
    {
        var policy = Policy(DefaultScheme);

        Assert.Equal(new HashSet<string> { "db", "disk" }, policy.DependenciesOf("api").ToHashSet());
        Assert.Equal(new HashSet<string> { "disk" }, policy.DependenciesOf("db").ToHashSet());
        Assert.Empty(policy.DependenciesOf("disk"));
        Assert.Empty(policy.DependenciesOf("unknown"));
        Assert.Empty(policy.DependenciesOf(null));
    }

    [Fact]
    public void DependenciesOf_Diamond_EachServiceOnce()
    {
        var policy = Policy("""
            vigil:
              name: graph
            services:
              - { id: web, depends_on: [api, auth] }
              - { id: api, depends_on: [db] }
              - { id: auth, depends_on: [db] }
              - { id: db }
            """);

        Assert.Equal(3, policy.DependenciesOf("web").Count);
        Assert.Equal(new HashSet<string> { "api", "auth", "db" }, policy.DependenciesOf("web").ToHashSet());
        Assert.Empty(policy.DependenciesOf("db"));
    }

    [Fact]
    public void AutoResolves_DefaultsToEverySource()
    {
        var policy = Policy(DefaultScheme);

        Assert.True(policy.AutoResolves(SignalSource.Check));
        Assert.True(policy.AutoResolves(SignalSource.Alertmanager));
        Assert.True(policy.AutoResolves(SignalSource.Events));
    }

    [Theory]
    [InlineData("checks", SignalSource.Check)]
    [InlineData("alertmanager", SignalSource.Alertmanager)]
    [InlineData("events", SignalSource.Events)]
    public void AutoResolves_TurnedOffForOneSource_OnlyThatSource(string key, SignalSource off)
    {
        var policy = Policy(SevScheme + $"\nincidents:\n  auto_resolve: {{ {key}: false }}\n");

        foreach (var source in Enum.GetValues<SignalSource>())
        {
            // Failed scheduled runbook runs, SLO burn-rate alerts, RPO breaches and backup jobs are Vigil's own signals, like checks: they follow the checks setting.
            var governedBy = source is SignalSource.Runbook or SignalSource.Slo or SignalSource.Backup ? SignalSource.Check : source;
            Assert.Equal(governedBy != off, policy.AutoResolves(source));
        }
    }
}
