using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Slos;

namespace Vigil.Core.Tests.Slos;

/// <summary>Error budget and burn-rate alerts on synthetic histories, with the worked examples.</summary>
public sealed class SloMathTests
{
    private const string Availability999 = "      - { id: api-avail, objective: 99.9%, window: 30d, availability: { checks: [health] } }";

    [Fact]
    public void Burning14_4x_ForOneHour_Uses2PercentOfA30DayBudget_AndPages()
    {
        var slo = SloFixtures.One(Availability999);
        var h = new SliHistory().Burn(TimeSpan.FromHours(1), total: 10_000, bad: 144);

        var budget = SloMath.Budget(slo, h.Series, h.Now);
        var measures = BurnAlerts.Measure(slo, h.Series, h.Now);
        var decision = BurnAlerts.Decide(slo, measures, budget, previous: null);

        Assert.Equal(0.02, budget.Consumed, 6);
        Assert.Equal(0.98, budget.Remaining, 6);
        Assert.Equal(14.4, measures.Single(m => m.Rule.Name == "14.4x/1h/5m").LongRate, 6);
        Assert.True(measures.Single(m => m.Rule.Name == "14.4x/1h/5m").Firing);
        Assert.Equal(SloSignalAction.Fire, decision.Action);
        Assert.Equal("P1", decision.Severity);
        Assert.Contains("14.4x over 1h", decision.Summary, StringComparison.Ordinal);
        Assert.Contains("2% of the error budget used, 98% left", decision.Summary, StringComparison.Ordinal);
        // 98 % left at 14.4x of a 30-day budget: 0.98 × 720 h / 14.4 = 49 h.
        Assert.Equal(49, budget.TimeLeft!.Value.TotalHours, 3);
        Assert.Equal(h.Now + TimeSpan.FromHours(49), budget.ExhaustedAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Burning1x_ForThreeDays_OpensATicket_NotAPage()
    {
        var slo = SloFixtures.One(Availability999);
        var h = new SliHistory().Burn(TimeSpan.FromDays(3), total: 1_000, bad: 1);

        var measures = BurnAlerts.Measure(slo, h.Series, h.Now);
        var decision = BurnAlerts.Decide(slo, measures, SloMath.Budget(slo, h.Series, h.Now), previous: null);

        Assert.Equal(["1x/3d/6h"], measures.Where(m => m.Firing).Select(m => m.Rule.Name));
        Assert.Equal(SloSignalAction.Fire, decision.Action);
        Assert.Equal("P3", decision.Severity);
        Assert.Contains("alert 1x/3d/6h, ticket", decision.Summary, StringComparison.Ordinal);
        // Three days at exactly the sustainable rate use 3/30 of the budget.
        Assert.Equal(0.1, SloMath.Budget(slo, h.Series, h.Now).Consumed, 6);
    }

    [Fact]
    public void RecoveryOfTheShortWindow_ResolvesThePage_WhileTheLongWindowStillBurns()
    {
        var slo = SloFixtures.One("      - { id: api-avail, objective: 99.9%, availability: {}, alerts: [{ burn_rate: 14.4, long_window: 1h, short_window: 5m }] }");
        var h = new SliHistory().Burn(TimeSpan.FromHours(1), total: 1_000, bad: 20);
        var first = BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, h.Series, h.Now), SloMath.Budget(slo, h.Series, h.Now), null);
        Assert.Equal(SloSignalAction.Fire, first.Action);

        // Four good minutes: the 5m window still holds one bad minute of five, a 4x burn, under 14.4x.
        h.Burn(TimeSpan.FromMinutes(4), total: 1_000, bad: 0);
        var measures = BurnAlerts.Measure(slo, h.Series, h.Now);
        var page = measures.Single(m => m.Rule.Name == "14.4x/1h/5m");
        Assert.True(page.LongRate > 14.4, "the 1h window still burns");
        Assert.False(page.Firing);

        var second = BurnAlerts.Decide(slo, measures, SloMath.Budget(slo, h.Series, h.Now), first.State);
        Assert.Equal(SloSignalAction.Resolve, second.Action);
        Assert.False(second.State.Firing);

        var third = BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, h.Series, h.Now), SloMath.Budget(slo, h.Series, h.Now), second.State);
        Assert.Equal(SloSignalAction.None, third.Action);
    }

    [Fact]
    public void RepeatedFiring_AtTheSameSeverity_SendsNothingNew_ButAChangeOfSeverityFiresAgain()
    {
        var slo = SloFixtures.One(Availability999);
        var h = new SliHistory().Burn(TimeSpan.FromHours(6), total: 1_000, bad: 7);
        var first = BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, h.Series, h.Now), SloMath.Budget(slo, h.Series, h.Now), null);
        Assert.Equal(("P1", "6x/6h/30m"), (first.Severity, first.State.Rule));

        h.Burn(TimeSpan.FromMinutes(1), total: 1_000, bad: 7);
        Assert.Equal(SloSignalAction.None, BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, h.Series, h.Now), SloMath.Budget(slo, h.Series, h.Now), first.State).Action);

        // 4x: under both page rules, over the 3x ticket rule once its day is full.
        var t = new SliHistory().Burn(TimeSpan.FromDays(1), total: 1_000, bad: 4);
        var ticket = BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, t.Series, t.Now), SloMath.Budget(slo, t.Series, t.Now), first.State);
        Assert.Equal((SloSignalAction.Fire, "P3"), (ticket.Action, ticket.Severity));
    }

    [Fact]
    public void NoEvents_BurnNothing_AndResolveOnce()
    {
        var slo = SloFixtures.One(Availability999);
        var h = new SliHistory().Quiet(TimeSpan.FromDays(2));

        var budget = SloMath.Budget(slo, h.Series, h.Now);
        var decision = BurnAlerts.Decide(slo, BurnAlerts.Measure(slo, h.Series, h.Now), budget, null);

        Assert.Null(budget.Attainment);
        Assert.Equal(0, budget.Consumed);
        Assert.Null(budget.ExhaustedAt);
        Assert.Equal(SloSignalAction.Resolve, decision.Action);
    }

    [Fact]
    public void FullWindowOfHistory_ConsumedIsBadOverAllowedBad_AndOldErrorsLeaveTheRollingWindow()
    {
        var slo = SloFixtures.One("      - { id: w, objective: 99%, window: 2d, availability: {} }", "slo_defaults: { alerts: [{ burn_rate: 2, long_window: 1h, short_window: 5m }] }");
        var h = new SliHistory().Burn(TimeSpan.FromHours(12), total: 100, bad: 4).Burn(TimeSpan.FromDays(2) - TimeSpan.FromHours(12), total: 100, bad: 0);

        var full = SloMath.Budget(slo, h.Series, h.Now);
        Assert.Equal(1, full.Coverage, 6);
        Assert.Equal(0.01 / 0.01, full.Consumed, 6); // 1 % errors over the window against a 1 % budget
        Assert.True(full.Exhausted);

        h.Burn(TimeSpan.FromHours(12), total: 100, bad: 0);
        Assert.Equal(0, SloMath.Budget(slo, h.Series, h.Now).Consumed, 6);
        Assert.Equal(1.0, SloMath.Budget(slo, h.Series, h.Now).Attainment!.Value, 6);
    }

    [Fact]
    public void CalendarMonth_BudgetIsForTheWholeMonth_AndTheProjectionStopsAtItsEnd()
    {
        var slo = SloFixtures.One("      - { id: m, objective: 99.9%, window: calendar_month, availability: {} }");
        // March has 31 days; ten days at 2x have used 2 × 10/31 of the month's budget.
        var h = new SliHistory(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)).Burn(TimeSpan.FromDays(10), total: 1_000, bad: 2);

        var budget = SloMath.Budget(slo, h.Series, h.Now);

        Assert.Equal(20.0 / 31, budget.Consumed, 6);
        // 11/31 left at 2x lasts 11/31 × 31 d / 2 = 5.5 days: inside the month.
        Assert.Equal(5.5, budget.TimeLeft!.Value.TotalDays, 3);

        var slow = new SliHistory(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)).Burn(TimeSpan.FromDays(10), total: 10_000, bad: 5);
        Assert.Null(SloMath.Budget(slo, slow.Series, slow.Now).ExhaustedAt);
        Assert.Equal((new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(31)), slo.Window.At(h.Now));
    }

    [Fact]
    public void Daily_GivesAttainmentPerUtcDay()
    {
        var h = new SliHistory().Burn(TimeSpan.FromDays(1), total: 100, bad: 1).Burn(TimeSpan.FromDays(1), total: 100, bad: 0).Burn(TimeSpan.FromHours(3), total: 100, bad: 50);

        var days = SloMath.Daily(h.Series, 3, h.Now);

        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 4)], days.Select(d => d.Day));
        Assert.Equal([0.99, 1.0, 0.5], days.Select(d => Math.Round(d.Events.Attainment!.Value, 6)));
        Assert.Equal(180 * 100, days[2].Events.Total);
    }

    [Fact]
    public void History_SplitsTheWindowIntoUtcDays_ClippedToTheWindowStartAndNow()
    {
        var slo = SloFixtures.One("      - { id: api-3d, objective: 99%, window: 3d, availability: { checks: [health] } }");
        var h = new SliHistory().Burn(TimeSpan.FromDays(1), total: 100, bad: 1).Burn(TimeSpan.FromDays(1), total: 100, bad: 0).Burn(TimeSpan.FromHours(3), total: 100, bad: 50);

        var days = SloMath.History(slo, h.Series, h.Now);

        // Now is 2026-03-04 03:00; the 3-day window starts 2026-03-01 03:00, before the first event.
        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 4)], days.Select(d => d.Day));
        Assert.Equal(h.Now - TimeSpan.FromDays(3), days[0].From);
        Assert.Null(days[0].Attainment);
        Assert.Equal([0.99, 1.0, 0.5], days.Skip(1).Select(d => Math.Round(d.Attainment!.Value, 6)));
        Assert.Equal((h.Now.AddHours(-3), h.Now), (days[3].From, days[3].To));
        Assert.Equal(180 * 100, days[3].Events.Total);
    }

    [Fact]
    public void History_OfAShortWindow_AcrossMidnight_CountsOnlyTheWindow()
    {
        var slo = SloFixtures.One("      - { id: api-2h, objective: 99%, window: 2h, availability: { checks: [health] } }");
        // 22:00 to 01:00: the first hour is outside the 2-hour window and must not count.
        var h = new SliHistory(new DateTimeOffset(2026, 3, 1, 22, 0, 0, TimeSpan.Zero)).Burn(TimeSpan.FromHours(1), total: 10, bad: 10)
            .Burn(TimeSpan.FromHours(1), total: 10, bad: 1).Burn(TimeSpan.FromHours(1), total: 10, bad: 0);

        var days = SloMath.History(slo, h.Series, h.Now);

        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2)], days.Select(d => d.Day));
        Assert.Equal((60 * 10L, 0.9), (days[0].Events.Total, Math.Round(days[0].Attainment!.Value, 6)));
        Assert.Equal((60 * 10L, 1.0), (days[1].Events.Total, days[1].Attainment!.Value));
    }

    [Fact]
    public void LatencySli_CountsOkProbesUnderTheThreshold_ExactlyFromRawSamples_ConservativelyFromMinuteRollups()
    {
        var slo = SloFixtures.One("      - { id: fast, objective: 95%, latency: { threshold: 200ms, checks: [health] } }");
        var hour = SloFixtures.Start;
        var raw = new[]
        {
            new HistorySample(hour.AddSeconds(5), HealthState.Ok, FailureReason.None, 120),
            new HistorySample(hour.AddSeconds(15), HealthState.Ok, FailureReason.None, 250),
            new HistorySample(hour.AddSeconds(25), HealthState.Critical, FailureReason.Timeout, 90),
            new HistorySample(hour.AddSeconds(75), HealthState.Ok, FailureReason.None, 200),
        };
        var withRaw = HistoryBucket.Summarize("api/health", hour, raw, includeRaw: true);
        var withoutRaw = withRaw with { Raw = null };

        var exact = SliCounting.Minutes(slo, [withRaw]);
        var rolled = SliCounting.Minutes(slo, [withoutRaw]);

        Assert.Equal([(hour, new SliCount(1, 3)), (hour.AddMinutes(1), new SliCount(1, 1))], exact);
        Assert.Equal([(hour, new SliCount(0, 3)), (hour.AddMinutes(1), new SliCount(1, 1))], rolled);

        var availability = SloFixtures.One("      - { id: up, objective: 99%, availability: { checks: [health] } }");
        Assert.Equal([(hour, new SliCount(2, 3)), (hour.AddMinutes(1), new SliCount(1, 1))], SliCounting.Minutes(availability, [withoutRaw]));
    }
}
