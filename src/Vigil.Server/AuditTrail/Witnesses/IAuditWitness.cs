using Vigil.Core.Audit;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>A place off the host that receives each signed checkpoint (<c>audit.witnesses</c>).</summary>
internal interface IAuditWitness
{
    string Id { get; }

    /// <summary>Where, for messages and status (no secrets).</summary>
    string Description { get; }

    /// <summary>Whether Vigil can read back what the witness holds (a webhook cannot).</summary>
    bool CanRead { get; }

    /// <summary>Hands one checkpoint to the witness; throws <see cref="WitnessException"/> (or an I/O or HTTP error) when it was not stored.</summary>
    Task SendAsync(WitnessRecord record, CancellationToken ct);

    /// <summary>Every checkpoint the witness holds; throws <see cref="WitnessException"/> when it cannot be read.</summary>
    Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken ct);
}
