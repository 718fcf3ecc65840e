using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Slos;
using Vigil.Core.StatusPage;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Slos;

/// <summary>SLO attainment as reports and the public status page show it.</summary>
public sealed class SloAttainmentTests
{
    private static VigilConfig Load(bool showSlos)
    {
        var result = ConfigLoader.LoadFromString($$"""
            vigil: { name: test }
            status_page: { show_slos: {{(showSlos ? "true" : "false")}} }
            services:
              - id: api
                public: true
                checks: [{ id: health, tcp: { host: localhost, port: 80 } }]
                slos:
                  - { id: api-avail, description: API answers, objective: 99.5%, window: 1d, availability: {} }
              - id: db
                checks: [{ id: ping, tcp: { host: localhost, port: 5432 } }]
                slos: [{ id: db-up, objective: 99%, window: 1d, availability: {} }]
            """, environment: TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }

    private static IReadOnlyList<SloStatus> Evaluate(VigilConfig config, long badPerHundred)
    {
        var h = new SliHistory().Burn(TimeSpan.FromHours(2), total: 100, bad: badPerHundred);
        return SloDefinitions.Build(config).Select(d => SloEvaluation.Evaluate(d, h.Series, h.Now)).ToList();
    }

    [Fact]
    public void Of_GivesEachSlosAttainmentAndBudget_OfAllServicesOrOne()
    {
        var statuses = Evaluate(Load(showSlos: false), badPerHundred: 1);

        var all = SloAttainment.Of(statuses);
        var api = Assert.Single(SloAttainment.Of(statuses, "api"));

        Assert.Equal(["api-avail", "db-up"], all.Select(a => a.Id));
        Assert.Equal(("api", "API answers", 99.5, "1d", 99.0, false), (api.Service, api.Name, api.Objective, api.Window, api.Attainment, api.Met));
        // 1 % bad against 0.5 % allowed over 2h of a 1d window: 2 × 2/24 = 16.667 % used.
        Assert.Equal(83.333, api.BudgetRemaining);
        var db = all[1];
        Assert.Equal(("db-up", 99.0, true), (db.Name, db.Attainment, db.Met));
    }

    [Fact]
    public void StatusPage_ShowsSlosOfPublicServices_OnlyWhenShowSlosIsOn()
    {
        IReadOnlyList<PublicService> Services(bool show)
        {
            var config = Load(show);
            return StatusPageBuilder.Build(new StatusPageInput(config, new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<DateOnly, DayCount>>(),
                Array.Empty<Incident>(), new Dictionary<long, IReadOnlyList<TimelineEntry>>(), Array.Empty<MaintenanceWindow>(), SloFixtures.Start.AddHours(2),
                Evaluate(config, badPerHundred: 0))).Services;
        }

        var shown = Assert.Single(Services(show: true));
        var slo = Assert.Single(shown.Slos);
        Assert.Equal(("api", "API answers", 100.0, true), (shown.Id, slo.Name, slo.Attainment, slo.Met));
        Assert.Empty(Assert.Single(Services(show: false)).Slos);
    }
}
