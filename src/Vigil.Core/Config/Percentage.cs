using System.Globalization;

namespace Vigil.Core.Config;

/// <summary>A percentage written with a percent sign, such as <c>99.5%</c>; <see cref="Value"/> is 99.5.</summary>
public readonly record struct Percentage(double Value) : IConfigScalar<Percentage>
{
    static string IConfigScalar<Percentage>.Expected => "a percentage like 99.9%";

    /// <summary>The value as a fraction: 99.5% is 0.995.</summary>
    public double Fraction => Value / 100.0;

    /// <summary>Parses <c>0%</c> to <c>100%</c>; the percent sign is required.</summary>
    public static bool TryParse(string? text, out Percentage value, out string? error)
    {
        value = default;
        var s = text?.Trim() ?? string.Empty;
        if (!s.EndsWith('%'))
        {
            error = "write a percentage with a percent sign, like 99.9%";
            return false;
        }

        if (!double.TryParse(s.AsSpan(0, s.Length - 1).Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || double.IsNaN(number))
        {
            error = "write a number before the percent sign, like 99.9%";
            return false;
        }

        if (number is < 0 or > 100)
        {
            error = "a percentage must be between 0% and 100%";
            return false;
        }

        value = new Percentage(number);
        error = null;
        return true;
    }

    public string ToConfigString() => Value.ToString(CultureInfo.InvariantCulture) + "%";

    public override string ToString() => ToConfigString();
}
