namespace Vigil.Core.Config;

/// <summary>When a person may be paged directly.</summary>
public enum Availability
{
    /// <summary>Any time.</summary>
    Always,

    /// <summary>Monday to Friday, 09:00 to 17:00 in the person's time zone; outside those hours the step moves on.</summary>
    BusinessHours,
}
