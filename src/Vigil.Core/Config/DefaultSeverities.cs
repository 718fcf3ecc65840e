namespace Vigil.Core.Config;

/// <summary>The severity scheme used when the config has no <c>severities</c> section.</summary>
public static class DefaultSeverities
{
    /// <summary>P0 Critical 15m page, P1 High 1h page (both need a PIR before close), P2 Medium 4h ticket, P3 Low 24h ticket.</summary>
    public static IReadOnlyList<SeverityConfig> Create() =>
    [
        new() { Id = "P0", Name = "Critical", AckWithin = TimeSpan.FromMinutes(15), Page = true, RequirePir = true },
        new() { Id = "P1", Name = "High", AckWithin = TimeSpan.FromHours(1), Page = true, RequirePir = true },
        new() { Id = "P2", Name = "Medium", AckWithin = TimeSpan.FromHours(4), Page = false },
        new() { Id = "P3", Name = "Low", AckWithin = TimeSpan.FromHours(24), Page = false },
    ];
}
