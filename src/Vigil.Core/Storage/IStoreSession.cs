namespace Vigil.Core.Storage;

/// <summary>
/// The repositories available inside one store transaction. Feature areas add a repository here
/// and implement it in every backend.
/// </summary>
public interface IStoreSession
{
    IAuditLog Audit { get; }

    ITokenRepository Tokens { get; }

    ICheckRepository Checks { get; }

    IIncidentRepository Incidents { get; }

    IOperationsRepository Operations { get; }

    IPagingRepository Paging { get; }

    IRunbookRepository Runbooks { get; }

    IRemediationRepository Remediations { get; }
    IBackupRepository Backups { get; }

    IDrillRepository Drills { get; }

    IJournalRepository Journal { get; }

    /// <summary>Acknowledge links: the installation's key and the links already used.</summary>
    IAckLinkRepository AckLinks { get; }

    /// <summary>Cluster membership (node heartbeats) and leases with fencing tokens.</summary>
    IClusterRepository Cluster { get; }

    /// <summary>Whole-table reads and verbatim inserts for export and import.</summary>
    IStateTransfer Transfer { get; }

    /// <summary>The store's clock reading for this transaction.</summary>
    DateTimeOffset Now { get; }

    /// <summary>
    /// Asks the store to wake the loops waiting on <paramref name="topics"/> once this transaction has
    /// committed (never before, so a woken loop reads what was written; never if it rolls back).
    /// Ignored in read sessions.
    /// </summary>
    void Raise(CommitTopics topics);
}
