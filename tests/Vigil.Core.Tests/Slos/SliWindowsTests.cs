using Vigil.Core.Config;
using Vigil.Core.Slos;

namespace Vigil.Core.Tests.Slos;

/// <summary><see cref="SliWindows"/>: the SLO math on per-span counts, as a Prometheus SLI answers them.</summary>
public sealed class SliWindowsTests
{
    private const string Requests = """
              - id: api-requests
                objective: 99.9%
                window: 30d
                prometheus: { url: "http://prometheus:9090", good: ok_total, total: all_total }
        """;

    [Fact]
    public void Spans_AreWhatTheMathReads_AndEvaluateNeedsNoOther()
    {
        var slo = SloFixtures.One(Requests);
        var now = SloFixtures.Start;

        var spans = SliWindows.Spans(slo, now);

        Assert.Equal(["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"], spans.Select(Duration.Format));
        // 1.44 % errors everywhere: 14.4x a 0.1 % budget. Every span the math asks is there, or Sum throws.
        var windows = new SliWindows(now, spans.ToDictionary(s => s, _ => new SliCount(98_560, 100_000)));
        var status = SloEvaluation.Evaluate(slo, windows, now);
        Assert.Equal("page", status.State);
        Assert.Equal(14.4, status.BurnRates.Single(r => r.Window == "1h").Rate, 6);
        Assert.Equal(14.4, status.Budget!.Consumed, 6);
        var decision = BurnAlerts.Decide(slo, status.Measures, status.Budget, null);
        Assert.Equal((SloSignalAction.Fire, "P1"), (decision.Action, decision.Severity));
    }

    [Fact]
    public void Sum_OfASpanNotQueried_IsABug_AndAnEmptySpanIsNothing()
    {
        var now = SloFixtures.Start;
        var windows = new SliWindows(now, new Dictionary<TimeSpan, SliCount> { [TimeSpan.FromHours(1)] = new(9, 10) });

        Assert.Equal(new SliCount(9, 10), windows.Sum(now.AddHours(-1), now));
        Assert.Equal(default, windows.Sum(now, now));
        Assert.Throws<InvalidOperationException>(() => windows.Sum(now.AddHours(-2), now));
        Assert.Null(windows.First);
    }

    [Fact]
    public void Spans_CalendarMonth_StartAtTheMonth_AndNoneIsEmpty()
    {
        var slo = SloFixtures.One("""
                  - id: api-requests
                    objective: 99%
                    window: calendar_month
                    prometheus: { url: "http://prometheus:9090", good: ok_total, total: all_total }
            """);
        var now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

        Assert.Contains(TimeSpan.FromHours(36), SliWindows.Spans(slo, now));
        Assert.All(SliWindows.Spans(slo, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), s => Assert.True(s > TimeSpan.Zero));
    }
}
