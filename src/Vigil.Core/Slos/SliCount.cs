namespace Vigil.Core.Slos;

/// <summary>Good and total events of an SLI over some span.</summary>
public readonly record struct SliCount(long Good, long Total)
{
    public long Bad => Total - Good;

    /// <summary>The bad share, 0 with no events (no events burn no budget).</summary>
    public double ErrorRatio => Total <= 0 ? 0 : (double)Bad / Total;

    /// <summary>The good share, or null with no events.</summary>
    public double? Attainment => Total <= 0 ? null : (double)Good / Total;

    public static SliCount operator +(SliCount a, SliCount b) => new(a.Good + b.Good, a.Total + b.Total);

    public static SliCount operator -(SliCount a, SliCount b) => new(a.Good - b.Good, a.Total - b.Total);
}
