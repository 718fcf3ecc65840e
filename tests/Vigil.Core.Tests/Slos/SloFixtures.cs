using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Config;
using Vigil.Core.Slos;
using Vigil.Core.Tests.Config;

namespace Vigil.Core.Tests.Slos;

/// <summary>SLOs loaded from YAML the way the server loads them, and synthetic SLI histories on a fake clock.</summary>
internal static class SloFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public static VigilConfig Load(string slos, string extra = "")
    {
        var result = ConfigLoader.LoadFromString($$"""
            vigil: { name: test }
            {{extra}}
            services:
              - id: api
                checks: [{ id: health, tcp: { host: localhost, port: 80 } }, { id: home, tcp: { host: localhost, port: 81 } }]
                slos:
            {{slos}}
            """, environment: TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }

    public static SloDefinition One(string slo, string extra = "") => Assert.Single(SloDefinitions.Build(Load(slo, extra)));

}

/// <summary>A synthetic SLI history on a fake clock: writes minutes the way the evaluator does (an hour replaced whole).</summary>
internal sealed class SliHistory
{
    private readonly Dictionary<DateTimeOffset, List<(DateTimeOffset, SliCount)>> _hours = [];

    public SliHistory(DateTimeOffset? start = null) => Clock = new FakeTimeProvider(start ?? SloFixtures.Start);

    public FakeTimeProvider Clock { get; }

    public SliSeries Series { get; } = new();

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Writes <paramref name="total"/> events a minute, <paramref name="bad"/> of them bad, for <paramref name="span"/>, moving the clock along.</summary>
    public SliHistory Burn(TimeSpan span, long total, long bad)
    {
        var end = Now + span;
        while (Now < end)
        {
            var hour = new DateTimeOffset(Now.UtcTicks - Now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
            if (!_hours.TryGetValue(hour, out var list))
            {
                _hours[hour] = list = [];
            }

            list.Add((Now, new SliCount(total - bad, total)));
            Series.ReplaceHour(hour, list);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        return this;
    }

    /// <summary>Moves the clock on with no events.</summary>
    public SliHistory Quiet(TimeSpan span)
    {
        Clock.Advance(span);
        return this;
    }
}
