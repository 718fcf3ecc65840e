namespace Vigil.Core.Config;

/// <summary>An availability SLI (<c>availability:</c>): the share of the checks' probes that were ok, from check history.</summary>
public sealed class SloAvailabilityConfig
{
    /// <summary>Check ids of this service whose probes count; empty means all of them.</summary>
    public IReadOnlyList<string> Checks { get; set; } = [];
}
