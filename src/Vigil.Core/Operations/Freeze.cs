namespace Vigil.Core.Operations;

/// <summary>A change freeze: everywhere (<see cref="Service"/> null) or on one service, until lifted.</summary>
public sealed record Freeze(long Id, string? Service, string Reason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LiftedAt, string? LiftedBy)
{
    public bool IsActive => LiftedAt is null;

    /// <summary>Whether this freeze covers <paramref name="service"/> (a global freeze covers every service).</summary>
    public bool Covers(string service) => IsActive && (Service is null || Service == service);
}
