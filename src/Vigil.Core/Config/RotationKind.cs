namespace Vigil.Core.Config;

/// <summary>How a schedule layer rotates through its members.</summary>
public enum RotationKind
{
    /// <summary>A new member every day at the handoff time.</summary>
    Daily,

    /// <summary>A new member every week at the handoff day and time.</summary>
    Weekly,

    /// <summary>A new member every <c>shift_length</c>, counted from <c>start</c>.</summary>
    Custom,
}
