namespace Vigil.Core.Config;

/// <summary>A number (or each number of a list) must lie in [<see cref="Min"/>, <see cref="Max"/>].</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class NumberRangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;
}
