namespace Vigil.Core.Config;

/// <summary>Limits on labels (explicit limits, per the design rules for bad input).</summary>
public static class LabelRules
{
    /// <summary>Most labels on one object.</summary>
    public const int MaxCount = 64;

    /// <summary>Longest label key.</summary>
    public const int MaxKeyLength = 63;

    /// <summary>Longest label value.</summary>
    public const int MaxValueLength = 256;
}
