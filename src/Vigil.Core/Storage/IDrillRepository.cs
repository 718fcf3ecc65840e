using Vigil.Core.Runbooks;

namespace Vigil.Core.Storage;

/// <summary>Fault-injection drills (storage migration 14).</summary>
public interface IDrillRepository
{
    /// <summary>Stores a new drill; returns it with its id.</summary>
    Task<DrillRecord> InsertAsync(DrillRecord drill, CancellationToken ct);

    Task UpdateAsync(DrillRecord drill, CancellationToken ct);

    Task<DrillRecord?> GetAsync(long id, CancellationToken ct);

    /// <summary>Drills newest first, of one service or all.</summary>
    Task<IReadOnlyList<DrillRecord>> ListAsync(string? service, int limit, CancellationToken ct);

    /// <summary>Drills still <c>running</c> (after a crash: to mark interrupted at start).</summary>
    Task<IReadOnlyList<DrillRecord>> ListUnfinishedAsync(CancellationToken ct);
}
