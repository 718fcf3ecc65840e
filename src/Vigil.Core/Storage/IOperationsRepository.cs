using Vigil.Core.Operations;

namespace Vigil.Core.Storage;

/// <summary>Operational state created ad hoc: change freezes and maintenance windows.</summary>
public interface IOperationsRepository
{
    Task<Freeze> AddFreezeAsync(string? service, string reason, string createdBy, DateTimeOffset at, CancellationToken ct);

    /// <summary>Freezes not yet lifted, oldest first.</summary>
    Task<IReadOnlyList<Freeze>> ListActiveFreezesAsync(CancellationToken ct);

    /// <summary>Lifts a freeze; false when it was already lifted.</summary>
    Task<bool> LiftFreezeAsync(long id, string liftedBy, DateTimeOffset at, CancellationToken ct);

    Task<MaintenanceWindow> AddWindowAsync(IReadOnlyList<string> services, DateTimeOffset startsAt, DateTimeOffset endsAt, string reason, bool blocksDeploys,
        string createdBy, DateTimeOffset at, CancellationToken ct);

    Task<MaintenanceWindow?> GetWindowAsync(long id, CancellationToken ct);

    /// <summary>Ad-hoc windows not cancelled that end after <paramref name="endingAfter"/>, by start time.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> ListWindowsAsync(DateTimeOffset endingAfter, CancellationToken ct);

    /// <summary>Cancels a window; false when it was already cancelled.</summary>
    Task<bool> CancelWindowAsync(long id, string cancelledBy, DateTimeOffset at, CancellationToken ct);

    Task<Silence> AddSilenceAsync(IReadOnlyList<SilenceMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string comment, string createdBy,
        DateTimeOffset at, CancellationToken ct);

    /// <summary>Silences not expired that end after <paramref name="endingAfter"/>, oldest first.</summary>
    Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset endingAfter, CancellationToken ct);

    /// <summary>Expires a silence now; false when there is no such active silence.</summary>
    Task<bool> ExpireSilenceAsync(long id, string expiredBy, DateTimeOffset at, CancellationToken ct);
}
