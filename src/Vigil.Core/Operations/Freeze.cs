namespace Vigil.Core.Operations;

/// <summary>A change freeze: everywhere (<see cref="Service"/> null) or on one service, until lifted.</summary>
public sealed record Freeze(long Id, string? Service, string Reason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LiftedAt, string? LiftedBy)
{
    public bool IsActive => LiftedAt is null;

    /// <summary>
    /// Whether this freeze covers <paramref name="service"/>: the one freeze rule, used by runs, the deploy
    /// gate and the CLI's plan. A lifted freeze covers nothing; a global freeze covers every service and
    /// things with no service; a service freeze covers only that service.
    /// </summary>
    public bool Covers(string? service) => IsActive && (Service is null || Service == service);

    /// <summary>The first of <paramref name="freezes"/> that covers <paramref name="service"/>, or null.</summary>
    public static Freeze? FirstCovering(IEnumerable<Freeze> freezes, string? service)
    {
        ArgumentNullException.ThrowIfNull(freezes);
        return freezes.FirstOrDefault(f => f.Covers(service));
    }
}
