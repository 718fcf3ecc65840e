namespace Vigil.Server.Tests.Support;

/// <summary>A random source that always draws the same unit, so retry delays are exact in tests.</summary>
internal sealed class FixedRandom(double unit) : Random
{
    public override double NextDouble() => unit;

    protected override double Sample() => unit;
}
